#!/usr/bin/env bash
# Fails when the portal's catalogue is incomplete or its compiled copy is stale:
#   1. makemessages (vi and en), run on a copy of the sources, leaves no entry untranslated or
#      fuzzy: every interface string in the code and templates has both languages;
#   2. each committed .mo holds exactly what its .po says (compile, decompile, compare).
# Needs GNU gettext (msgattrib, msgfmt, msgunfmt). Run from anywhere: scripts/check_translations.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
python=${PYTHON:-$root/.venv/bin/python}
languages=(vi en)
status=0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A copy, so that makemessages adds what the code has and the catalogue lacks without touching
# the committed files. The same ignores as a maintainer's makemessages (see README).
tar --exclude=./.venv --exclude=./node_modules --exclude=./media --exclude=./staticfiles \
    --exclude=./bench/out \
    --exclude=./.git -cf - . | tar -xf - -C "$work"
(
  cd "$work"
  DJANGO_DEBUG=1 "$python" manage.py makemessages "${languages[@]/#/--locale=}" --no-obsolete \
    --ignore=.venv --ignore=locale_overrides --ignore=node_modules --ignore=tests \
    --ignore=bench --ignore=staticfiles --ignore=media --ignore=fixtures --verbosity=0
)

for language in "${languages[@]}"; do
  po="$work/locale/$language/LC_MESSAGES/django.po"
  # --no-wrap keeps each msgid on its own line; the header (msgid "") never counts.
  untranslated=$(msgattrib --untranslated --no-obsolete --no-wrap "$po" | grep '^msgid "[^"]' || true)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete --no-wrap "$po" | grep '^msgid "[^"]' || true)
  if [ -n "$untranslated" ]; then
    printf 'locale/%s: untranslated after makemessages:\n%s\n' "$language" "$untranslated" >&2
    status=1
  fi
  if [ -n "$fuzzy" ]; then
    printf 'locale/%s: fuzzy:\n%s\n' "$language" "$fuzzy" >&2
    status=1
  fi

  committed_po="$root/locale/$language/LC_MESSAGES/django.po"
  committed_mo="$root/locale/$language/LC_MESSAGES/django.mo"
  if [ ! -f "$committed_mo" ]; then
    echo "locale/$language: django.mo is missing; run: msgfmt --check -o $committed_mo $committed_po" >&2
    status=1
    continue
  fi
  msgfmt --check -o "$work/$language.mo" "$committed_po"
  if ! diff <(msgunfmt "$work/$language.mo") <(msgunfmt "$committed_mo") >/dev/null; then
    echo "locale/$language: django.mo is stale; run: msgfmt --check -o $committed_mo $committed_po" >&2
    status=1
  fi
done

if [ "$status" -eq 0 ]; then
  echo "Translations complete (${languages[*]}) and compiled."
fi
exit "$status"
