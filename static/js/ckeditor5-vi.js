/*
 * The portal's words for a few of CKEditor 5's Vietnamese labels. django-ckeditor-5 loads the
 * editor's own translation (django_ckeditor_5/dist/translations/vi.js) just before this file
 * (news.editor.BodyEditorWidget's media), and the editor reads the labels when it is created.
 */
(function (translations) {
  "use strict";
  const vi = translations.vi || (translations.vi = { dictionary: {} });
  Object.assign(vi.dictionary, {
    // The image toolbar's button, "Đổi chữ alt của ảnh" in CKEditor's own translation.
    "Change image text alternative": "Mô tả ảnh cho người khiếm thị",
  });
})(window.CKEDITOR_TRANSLATIONS || (window.CKEDITOR_TRANSLATIONS = {}));
