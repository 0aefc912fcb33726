import csv
import datetime
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import reversion
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from documents.files import clean_file_name, inspect_document
from documents.models import (
    Document,
    DocumentField,
    DocumentFile,
    DocumentType,
    IssuingBody,
    normalise_number,
)
from news.text import clean_plain_text, search_fold

COLUMNS = [
    "so_ky_hieu",
    "loai",
    "co_quan",
    "nguoi_ky",
    "ngay_ban_hanh",
    "ngay_hieu_luc",
    "ngay_het_hieu_luc",
    "linh_vuc",
    "trich_yeu",
    "tep",
]
REQUIRED = {
    "so_ky_hieu": "số ký hiệu",
    "loai": "loại văn bản",
    "co_quan": "cơ quan ban hành",
    "ngay_ban_hanh": "ngày ban hành",
    "trich_yeu": "trích yếu",
}
PROGRESS_EVERY = 100
DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
EDITED = "đã được sửa sau khi nhập (văn bản số {pk}); không ghi đè"
NOT_IMPORTED = "đã có trong thư viện, do biên tập viên tạo (văn bản số {pk}); không ghi đè"


class RowError(Exception):
    """A row that cannot be imported, with why."""


@dataclass
class Row:
    line: int
    number: str
    type_name: str
    body_name: str
    signer: str
    issued_on: datetime.date
    effective_on: datetime.date | None
    expires_on: datetime.date | None
    field_names: list
    summary: str
    files: list = field(default_factory=list)  # [(path, original name)]
    checksum: str = ""


class Command(BaseCommand):
    help = (
        "Nhập sổ đăng ký văn bản (CSV UTF-8, dòng đầu là tiêu đề cột: "
        + ",".join(COLUMNS)
        + "). Ngày viết dd/mm/yyyy; nhiều lĩnh vực hoặc nhiều tệp cách nhau bằng dấu ;, tên tệp "
        "tính từ thư mục --files. Mỗi văn bản được nhận ra theo số ký hiệu và cơ quan ban "
        "hành: nhập lại không tạo bản trùng, dòng đã đổi cập nhật văn bản của nó, văn bản đã "
        "được sửa sau khi nhập thì bỏ qua. Mỗi dòng một giao dịch: dòng lỗi bị từ chối (kèm số "
        "dòng và lý do), không ghi gì của dòng đó; các dòng tốt vẫn được nhập. Lệnh trả mã "
        "khác 0 khi có dòng bị từ chối."
    )

    def add_arguments(self, parser):
        parser.add_argument("register", metavar="REGISTER.csv", help="Tệp CSV của sổ đăng ký.")
        parser.add_argument(
            "--files", metavar="DIR", help="Thư mục chứa các tệp mà cột tep nhắc đến."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ kiểm tra và báo cáo; không ghi gì."
        )
        parser.add_argument(
            "--status",
            choices=[Document.Status.PUBLISHED, Document.Status.DRAFT],
            default=Document.Status.PUBLISHED,
            help="Trạng thái của văn bản mới nhập (mặc định: published, công bố ngay).",
        )

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        self.dry_run = options["dry_run"]
        self.status = options["status"]
        self.files_dir = self._files_dir(options["files"])
        lines = self._read(Path(options["register"]))
        self.lookups = {
            model: {search_fold(item.name): item for item in model.objects.all()}
            for model in (DocumentType, IssuingBody, DocumentField)
        }
        self.seen = {}  # (folded body, number key) -> the line that had it in this run
        counts = dict.fromkeys(("created", "updated", "unchanged", "skipped", "refused"), 0)
        total = len(lines)
        for done, (line, values) in enumerate(lines, start=1):
            result = self._import_line(line, values)
            counts[result] += 1
            if (
                self.verbosity > 0
                and (done % PROGRESS_EVERY == 0 or done == total)
                and total > PROGRESS_EVERY
            ):
                self._progress(done, total)
        return self._summarise(counts)

    # -- input ---------------------------------------------------------------------------

    def _files_dir(self, value):
        if not value:
            return None
        path = Path(value)
        if not path.is_dir():
            raise CommandError(f"--files: không có thư mục {value}.")
        return path.resolve()

    def _read(self, path):
        """[(line number of the row's start, {column: value})], the header being line 1."""
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"Không có tệp {path}.") from None
        except UnicodeDecodeError as error:
            line = path.read_bytes()[: error.start].count(b"\n") + 1
            raise CommandError(
                f"{path}: dòng {line} không phải văn bản UTF-8. Hãy lưu sổ đăng ký dưới dạng "
                "CSV UTF-8."
            ) from None
        except OSError as error:
            raise CommandError(f"Không đọc được {path}: {error.strerror}.") from None
        reader = csv.reader(text.splitlines(keepends=True))
        try:
            header = [name.strip().lower() for name in next(reader)]
        except StopIteration:
            raise CommandError(f"{path}: tệp trống, không có dòng tiêu đề.") from None
        except csv.Error as error:
            raise CommandError(f"{path}: dòng 1: {error}.") from None
        missing = [name for name in COLUMNS if name not in header]
        if missing:
            raise CommandError(
                f"{path}: dòng tiêu đề thiếu cột {', '.join(missing)} "
                f"(cần đủ: {','.join(COLUMNS)})."
            )
        rows, last = [], reader.line_num
        while True:
            try:
                values = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                raise CommandError(f"{path}: dòng {last + 1}: {error}.") from None
            start, last = last + 1, reader.line_num
            if not any(value.strip() for value in values):
                continue  # a blank line
            rows.append(
                (
                    start,
                    values
                    if len(values) != len(header)
                    else dict(zip(header, values, strict=True)),
                )
            )
        return rows

    # -- one row -------------------------------------------------------------------------

    def _import_line(self, line, values):
        try:
            row = self._parse(line, values)
            return self._write(row)
        except RowError as error:
            self.stderr.write(self.style.ERROR(f"Dòng {line}: {error}"))
            return "refused"

    def _parse(self, line, values):
        if not isinstance(values, dict):
            raise RowError(f"có {len(values)} cột, dòng tiêu đề có {len(COLUMNS)} cột.")
        text = {name: clean_plain_text(values.get(name, "")) for name in COLUMNS}
        for name, label in REQUIRED.items():
            if not text[name]:
                raise RowError(f"thiếu {label} (cột {name}).")
        row = Row(
            line=line,
            number=" ".join(text["so_ky_hieu"].split()),
            type_name=text["loai"],
            body_name=text["co_quan"],
            signer=text["nguoi_ky"],
            issued_on=self._day(text, "ngay_ban_hanh"),
            effective_on=self._day(text, "ngay_hieu_luc"),
            expires_on=self._day(text, "ngay_het_hieu_luc"),
            field_names=_split(text["linh_vuc"]),
            summary=text["trich_yeu"],
        )
        row.files = self._files(text["tep"])
        key = (search_fold(row.body_name), normalise_number(row.number))
        if key in self.seen:
            raise RowError(
                f"trùng số ký hiệu {row.number} của {row.body_name} với dòng {self.seen[key]}."
            )
        self.seen[key] = line
        row.checksum = self._checksum(row)
        return row

    def _day(self, text, column):
        value = text[column]
        if not value:
            return None
        found = DAY.fullmatch(value)
        if not found:
            raise RowError(f"ngày không đúng dạng dd/mm/yyyy ở cột {column}: {value!r}.")
        day, month, year = (int(part) for part in found.groups())
        try:
            return datetime.date(year, month, day)
        except ValueError:
            raise RowError(f"không có ngày {value} (cột {column}).") from None

    def _files(self, value):
        names = _split(value)
        if names and self.files_dir is None:
            raise RowError("cột tep có tệp nhưng lệnh không có --files DIR.")
        found = []
        for name in names:
            path = (self.files_dir / name).resolve()
            if self.files_dir not in path.parents:
                raise RowError(f"tệp {name!r} nằm ngoài thư mục --files.")
            if not path.is_file():
                raise RowError(f"không có tệp {name!r} trong {self.files_dir}.")
            original = clean_file_name(name)
            try:
                with path.open("rb") as handle:
                    inspect_document(File(handle, name=original), original)
            except ValidationError as error:
                raise RowError(f"tệp {name!r}: {' '.join(error.messages)}") from None
            except OSError as error:
                raise RowError(f"không đọc được tệp {name!r}: {error.strerror}.") from None
            found.append((path, original))
        return found

    def _checksum(self, row):
        digest = hashlib.sha256()
        values = [
            row.number,
            row.type_name,
            row.body_name,
            row.signer,
            str(row.issued_on),
            str(row.effective_on),
            str(row.expires_on),
            sorted(search_fold(name) for name in row.field_names),
            row.summary,
        ]
        digest.update(json.dumps(values, ensure_ascii=False).encode())
        for path, original in row.files:
            digest.update(original.encode())
            with path.open("rb") as handle:
                for chunk in iter(lambda handle=handle: handle.read(1024 * 1024), b""):
                    digest.update(chunk)
        return digest.hexdigest()

    # -- writing -------------------------------------------------------------------------

    def _lookup(self, model, name):
        """The type, body or field named ``name`` whatever its case and diacritics; created
        when missing (in a dry run, an unsaved one)."""
        folded = search_fold(name)
        item = self.lookups[model].get(folded)
        if item is None:
            item = model(name=name)
            if not self.dry_run:
                item.save()
                self.lookups[model][folded] = item
                self.created_lookups.append((model, folded))
        return item

    def _existing(self, row):
        body = self.lookups[IssuingBody].get(search_fold(row.body_name))
        if body is None:
            return None
        return Document.objects.filter(
            issuing_body=body, number_key=normalise_number(row.number)[:100]
        ).first()

    def _write(self, row):
        existing = self._existing(row)
        if existing is not None:
            if existing.imported_version is None:
                return self._skip(row, NOT_IMPORTED.format(pk=existing.pk))
            if existing.version != existing.imported_version:
                return self._skip(row, EDITED.format(pk=existing.pk))
            if existing.import_checksum == row.checksum:
                return "unchanged"
        stored, self.created_lookups = [], []
        try:
            with transaction.atomic(), reversion.create_revision():
                document = self._fill(existing or Document(status=self.status), row)
                if self.dry_run:
                    return "updated" if existing else "created"
                document.save()
                document.fields.set([self._lookup(DocumentField, n) for n in row.field_names])
                if existing is not None:
                    document.files.all().delete()
                for position, (path, original) in enumerate(row.files):
                    with path.open("rb") as handle:
                        attached = DocumentFile(document=document, position=position)
                        attached.file = File(handle, name=original)
                        attached.save()
                        stored.append(attached.file.name)
                Document.objects.filter(pk=document.pk).update(
                    imported_version=document.version, import_checksum=row.checksum
                )
                reversion.set_comment(f"Nhập từ sổ đăng ký, dòng {row.line}.")
        except (RowError, ValidationError, DatabaseError, OSError) as error:
            self._forget(stored)
            if isinstance(error, RowError):
                raise
            raise RowError(_describe(error)) from None
        if self.verbosity > 1:
            self.stdout.write(
                f"Dòng {row.line}: {row.number}: {'cập nhật' if existing else 'tạo mới'}."
            )
        return "updated" if existing else "created"

    def _fill(self, document, row):
        document.number = row.number
        document.document_type = self._lookup(DocumentType, row.type_name)
        document.issuing_body = self._lookup(IssuingBody, row.body_name)
        document.signer = row.signer
        document.issued_on = row.issued_on
        document.effective_on = row.effective_on
        document.expires_on = row.expires_on
        document.summary = row.summary
        exclude = [
            name for name in ("document_type", "issuing_body") if getattr(document, name).pk is None
        ]
        try:
            document.full_clean(exclude=exclude)
        except ValidationError as error:
            raise RowError(_describe(error)) from None
        return document

    def _forget(self, stored):
        """After a row's transaction rolled back: the files it stored and the types, bodies
        and fields it made are gone from the database, so from storage and memory too."""
        for name in stored:
            DocumentFile._meta.get_field("file").storage.delete(name)
        for model, folded in self.created_lookups:
            self.lookups[model].pop(folded, None)

    def _skip(self, row, reason):
        if self.verbosity > 0:
            self.stdout.write(
                self.style.WARNING(f"Dòng {row.line}: {row.number}: bỏ qua: {reason}.")
            )
        return "skipped"

    # -- output --------------------------------------------------------------------------

    def _progress(self, done, total):
        end = "\r" if sys.stderr.isatty() and done < total else "\n"
        sys.stderr.write(f"Đã xử lý {done}/{total} dòng{end}")
        sys.stderr.flush()

    def _summarise(self, counts):
        if self.dry_run:
            line = (
                f"Chạy thử, không ghi gì: sẽ tạo {counts['created']}, cập nhật "
                f"{counts['updated']}, không đổi {counts['unchanged']}, bỏ qua "
                f"{counts['skipped']}; từ chối {counts['refused']} dòng."
            )
        else:
            line = (
                f"Đã tạo {counts['created']}, cập nhật {counts['updated']}, không đổi "
                f"{counts['unchanged']}, bỏ qua {counts['skipped']}; từ chối "
                f"{counts['refused']} dòng."
            )
        style = self.style.ERROR if counts["refused"] else self.style.SUCCESS
        self.stdout.write(style(line))
        if counts["refused"]:
            raise CommandError(f"{counts['refused']} dòng bị từ chối.", returncode=1)


def _split(value):
    return [part.strip() for part in value.split(";") if part.strip()]


def _describe(error):
    """A ValidationError or a database error as one line."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        parts = []
        for name, messages in error.message_dict.items():
            try:
                label = Document._meta.get_field(name).verbose_name
            except Exception:  # noqa: BLE001 - NON_FIELD_ERRORS and the like
                label = ""
            text = " ".join(messages)
            parts.append(f"{label}: {text}" if label else text)
        return " ".join(parts)
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
