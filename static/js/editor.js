/*
 * The article body's editor (CKEditor 5 through django-ckeditor-5), with the tools beside it
 * (templates/admin/news/article/body_editor_tools.html):
 *  - uploads go through the portal's own adapter, so every failure has a Vietnamese message;
 *  - CKEditor's warnings (an upload refused) appear beside the editor, never in an alert box:
 *    the Notification plugin calls window.alert() for a warning nobody handled;
 *  - "Chèn ảnh từ thư viện" inserts a photo already in the library, with its caption and
 *    alternative text.
 * The words shown come from the template's data-text-* attributes.
 */
(function () {
  "use strict";

  // django-ckeditor-5 keeps its editors in window.editors by the textarea's id, and calls a
  // callback registered for that id once the editor exists.
  function whenEditorReady(id, callback) {
    const ready = window.editors && window.editors[id];
    if (ready) {
      callback(ready);
    } else if (window.ckeditorRegisterCallback) {
      window.ckeditorRegisterCallback(id, callback);
    }
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? values[key] : whole));
  }

  function csrfToken(root) {
    const field = root.closest("form")?.querySelector("input[name=csrfmiddlewaretoken]");
    if (field) {
      return field.value;
    }
    const cookie = document.cookie.split("; ").find((item) => item.startsWith("csrftoken="));
    return cookie ? decodeURIComponent(cookie.split("=")[1]) : "";
  }

  class PortalUploadAdapter {
    constructor(loader, root, showError) {
      this.loader = loader;
      this.root = root;
      this.showError = showError;
      this.text = root.dataset;
    }

    upload() {
      this.showError("");
      return this.loader.file.then((file) => new Promise((resolve, reject) => {
        const xhr = (this.xhr = new XMLHttpRequest());
        const failed = (reason) =>
          reject(`${fill(this.text.textUploadFailed, { name: file.name })} ${reason}`);
        xhr.open("POST", this.text.uploadUrl, true);
        xhr.responseType = "json";
        xhr.setRequestHeader("X-CSRFToken", csrfToken(this.root));
        xhr.addEventListener("error", () => failed(this.text.textNetworkError));
        xhr.addEventListener("abort", () => reject());
        xhr.addEventListener("load", () => {
          const response = xhr.response;
          if (xhr.status === 200 && response && response.url) {
            resolve({ default: response.url });
          } else if (response && response.error && response.error.message) {
            failed(response.error.message);
          } else {
            failed(xhr.status === 413 ? this.text.textTooLarge : this.text.textServerError);
          }
        });
        xhr.upload.addEventListener("progress", (event) => {
          if (event.lengthComputable) {
            this.loader.uploadTotal = event.total;
            this.loader.uploaded = event.loaded;
          }
        });
        const data = new FormData();
        data.append("upload", file);
        xhr.send(data);
      }));
    }

    abort() {
      if (this.xhr) {
        this.xhr.abort();
      }
    }
  }

  function setUpUploads(root, editor) {
    const box = root.querySelector(".body-editor-tools__error");
    const showError = (message) => {
      box.textContent = message;
      box.hidden = !message;
    };
    if (editor.plugins.has("FileRepository")) {
      editor.plugins.get("FileRepository").createUploadAdapter = (loader) =>
        new PortalUploadAdapter(loader, root, showError);
    }
    if (editor.plugins.has("Notification")) {
      // Ahead of the plugin's own listener (priority "lowest"), which would call alert().
      editor.plugins.get("Notification").on(
        "show:warning",
        (event, data) => {
          showError(typeof data.message === "string" ? data.message : String(data.message));
          event.stop();
        },
        { priority: "high" }
      );
    }
  }

  function setUpLibrary(root, editor) {
    const text = root.dataset;
    const toggle = root.querySelector(".body-editor-tools__toggle");
    const panel = root.querySelector(".image-library");
    const search = panel.querySelector(".image-library__search");
    const status = panel.querySelector(".image-library__status");
    const list = panel.querySelector(".image-library__list");
    const more = panel.querySelector(".image-library__more");
    let page = 1;
    let timer = null;
    let latest = 0;

    async function load(fresh) {
      page = fresh ? 1 : page + 1;
      const asked = ++latest;
      const url = new URL(text.libraryUrl, window.location.href);
      url.searchParams.set("q", search.value.trim());
      url.searchParams.set("trang", String(page));
      if (fresh) {
        status.textContent = text.textLoading;
      }
      let answer;
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        answer = await response.json();
        if (!response.ok) {
          throw new Error(answer.error ? answer.error.message : text.textLoadFailed);
        }
      } catch (error) {
        if (asked === latest) {
          status.textContent = error.message && answer ? error.message : text.textLoadFailed;
        }
        return;
      }
      if (asked !== latest) {
        return; // a newer search has been typed since
      }
      if (fresh) {
        list.replaceChildren();
      }
      answer.results.forEach((item) => list.append(libraryItem(item)));
      more.hidden = !answer.more;
      const count = list.children.length;
      if (count) {
        status.textContent = fill(text.textCount, { count: String(count) });
      } else {
        status.textContent = search.value.trim() ? text.textNone : text.textEmpty;
      }
    }

    function libraryItem(item) {
      const entry = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "image-library__item";
      const picture = document.createElement("img");
      picture.src = item.thumbnail;
      picture.alt = "";
      picture.loading = "lazy";
      picture.addEventListener("error", () => {
        if (picture.src !== new URL(item.src, window.location.href).href) {
          picture.src = item.src; // a rendition not made yet: the original will do
        }
      }, { once: true });
      const name = document.createElement("span");
      name.className = "image-library__name";
      name.textContent = item.name;
      button.append(picture, name);
      button.addEventListener("click", () => insert(item));
      entry.append(button);
      return entry;
    }

    function insert(item) {
      const imageUtils = editor.plugins.get("ImageUtils");
      editor.model.change((writer) => {
        const image = imageUtils.insertImage({ src: item.src, alt: item.alt }, null, "imageBlock");
        if (image && item.caption) {
          const caption = writer.createElement("caption");
          writer.insertText(item.caption, caption);
          writer.append(caption, image);
        }
      });
      status.textContent = fill(text.textInserted, { name: item.name });
      editor.editing.view.focus();
    }

    toggle.addEventListener("click", () => {
      const opening = panel.hidden;
      panel.hidden = !opening;
      toggle.setAttribute("aria-expanded", String(opening));
      if (opening) {
        search.focus();
        load(true);
      }
    });
    search.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => load(true), 300);
    });
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault(); // not the article form's submit
        clearTimeout(timer);
        load(true);
      }
    });
    more.addEventListener("click", () => load(false));
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-body-editor]").forEach((root) => {
      whenEditorReady(root.dataset.bodyEditor, (editor) => {
        setUpUploads(root, editor);
        setUpLibrary(root, editor);
      });
    });
  });
})();
