"""Contract DOCX from a customer's template: docxtpl in a sandboxed, autoescaping Jinja.

Templates are uploaded by portal admins, so they are untrusted code: the Jinja environment is
`ImmutableSandboxedEnvironment` (no `__class__`/`__globals__` walks, no mutation of the context),
with huge string/power operations refused, a capped `range`, and autoescape on, because the
values are pasted into WordprocessingML and «Рога & Копыта» would otherwise break the XML.
The file itself is checked as a ZIP before python-docx opens it, so a zip bomb costs nothing.
"""

import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from docx.image.exceptions import UnrecognizedImageError
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .placeholders import PLACEHOLDERS, example_context

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024
MAX_ZIP_MEMBERS = 500
MAX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024
MAX_COMPRESSION_RATIO = 150  # real DOCX parts compress ~5-20x; bombs are 1000x and more
MAX_RANGE = 1000
MAX_SEQUENCE_LEN = 100_000

STAMP_WIDTH = Mm(40)
SIGNATURE_WIDTH = Mm(30)


class TemplateError(Exception):
    """The template or its data cannot make a document; the message is for the admin/manager."""


@dataclass
class TemplateCheck:
    unknown: list[str] = field(default_factory=list)  # placeholders we do not fill
    errors: list[str] = field(default_factory=list)  # reasons the template cannot be used
    names: list[str] = field(default_factory=list)  # every top-level name the template uses

    @property
    def ok(self) -> bool:
        return not self.errors


def _capped_range(*args):
    values = range(*args)
    if len(values) > MAX_RANGE:
        raise SecurityError(f"range longer than {MAX_RANGE}")
    return values


class ContractSandbox(ImmutableSandboxedEnvironment):
    """The sandbox stops attribute escapes but not `'x' * 10**9`; intercept those operators."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, int | float) and abs(right) > 100:
            return self.undefined("power too large", exc=SecurityError)
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                sized = isinstance(seq, str | list | tuple) and isinstance(times, int)
                if sized and len(seq) * times > MAX_SEQUENCE_LEN:
                    return self.undefined("sequence too long", exc=SecurityError)
        return super().call_binop(context, operator, left, right)


def _make_env() -> ContractSandbox:
    env = ContractSandbox(autoescape=True, undefined=StrictUndefined)
    # Only what contract templates need; lipsum/cycler/joiner are just more surface.
    env.globals = {"range": _capped_range}
    return env


# Built once: a Jinja environment is reusable across threads, and per-render setup would
# add to the ~36 ms docxtpl needs for a 30-row contract.
_ENV = _make_env()

_KNOWN = {p.name for p in PLACEHOLDERS}
_KNOWN_PREFIXES = {name.rsplit(".", i)[0] for name in _KNOWN for i in range(name.count(".") + 1)}


def _zip_problem(docx: bytes) -> str | None:
    """Refuse what is not a DOCX, before any parser expands it.

    Declared sizes can be trusted as a bound: zipfile stops reading a member at its declared
    uncompressed size, so a member that lies cannot produce more than it claims.
    """
    if len(docx) > MAX_TEMPLATE_BYTES:
        return _("Файл шаблона больше %(mb)s МБ.") % {"mb": MAX_TEMPLATE_BYTES // (1024 * 1024)}
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        return _("Файл не является документом Word (DOCX).")
    if len(members) > MAX_ZIP_MEMBERS:
        return _("Файл шаблона повреждён или слишком сложен (слишком много частей).")
    total = 0
    for info in members:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO:
            return _("Файл шаблона похож на ZIP-бомбу и не будет открыт.")
    if total > MAX_UNCOMPRESSED_BYTES:
        return _("Файл шаблона похож на ZIP-бомбу и не будет открыт.")
    names = {info.filename for info in members}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        return _("Файл не является документом Word (DOCX).")
    return None


def _open_template(docx: bytes) -> DocxTemplate:
    problem = _zip_problem(docx)
    if problem:
        raise TemplateError(problem)
    template = DocxTemplate(io.BytesIO(docx))
    try:
        template.init_docx()
    except Exception as exc:  # python-docx raises many types for a broken package
        raise TemplateError(_("Файл не является документом Word (DOCX).")) from exc
    return template


def _template_sources(template: DocxTemplate) -> list[str]:
    """The Jinja source of the body, headers and footers, as docxtpl will render them."""
    sources = [template.patch_xml(template.get_xml())]
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        for _rel, part in template.get_headers_footers(uri):
            sources.append(template.patch_xml(template.get_part_xml(part)))
    return sources


def _describe_jinja_error(exc: Exception) -> str:
    if isinstance(exc, SecurityError):
        return _("Шаблон обращается к служебным данным, это запрещено.")
    if isinstance(exc, UndefinedError):
        return _("В шаблоне неизвестное поле: %(detail)s") % {"detail": exc.message}
    if isinstance(exc, TemplateSyntaxError):
        return _("Ошибка в разметке шаблона: %(detail)s") % {"detail": exc.message}
    if isinstance(exc, UnrecognizedImageError):
        return _("Изображение печати или подписи не распознано (нужен PNG или JPEG).")
    return _("Шаблон не удалось заполнить: %(detail)s") % {"detail": exc}


class _Walker:
    """Collects the dotted paths a template reads and the unsafe constructs it contains.

    `{%tr for row in goods %}` binds `row` to a goods row, so `row.name` is checked as
    `goods[].name`; other names a template assigns itself are its own business.
    """

    def __init__(self, ast: nodes.Template):
        self.paths: set[str] = set()
        self.unsafe: set[str] = set()
        self.row_vars: dict[str, str] = {}
        self.locals: set[str] = {"loop"}
        for f in ast.find_all(nodes.For):
            targets = [n.name for n in f.target.find_all(nodes.Name)]
            if isinstance(f.target, nodes.Name):
                targets = [f.target.name]
            if isinstance(f.iter, nodes.Name | nodes.Getattr) and len(targets) == 1:
                self.row_vars[targets[0]] = f"{self._path(f.iter) or ''}[]"
            else:
                self.locals.update(targets)
        for name in ast.find_all(nodes.Name):
            if name.ctx in ("store", "param") and name.name not in self.row_vars:
                self.locals.add(name.name)
        self.visit(ast)

    def _path(self, node: nodes.Node) -> str | None:
        attrs = []
        while isinstance(node, nodes.Getattr):
            attrs.append(node.attr)
            node = node.node
        if not isinstance(node, nodes.Name):
            return None
        base = self.row_vars.get(node.name, node.name)
        return ".".join([base, *reversed(attrs)])

    def visit(self, node: nodes.Node) -> None:
        if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            self.unsafe.add(node.attr)
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            if isinstance(node.arg.value, str) and node.arg.value.startswith("_"):
                self.unsafe.add(node.arg.value)
        elif isinstance(node, nodes.Filter) and node.name == "attr":
            self.unsafe.add("|attr")
        if isinstance(node, nodes.Getattr | nodes.Name) and getattr(node, "ctx", "load") == "load":
            path = self._path(node)
            if path is not None:
                self._record(path)
                if isinstance(node, nodes.Getattr):
                    self._check_chain(node)
                    return
        for child in node.iter_child_nodes():
            self.visit(child)

    def _check_chain(self, node: nodes.Node) -> None:
        while isinstance(node, nodes.Getattr):
            if node.attr.startswith("_"):
                self.unsafe.add(node.attr)
            node = node.node

    def _record(self, path: str) -> None:
        root = path.split(".")[0]
        if root in self.locals or root in _ENV.globals:
            return
        self.paths.add(path)


def check_template(docx: bytes) -> TemplateCheck:
    """What an admin must know before a template is accepted: errors make it unusable, unknown
    placeholders would stop every render (the renderer refuses to leave a blank in a contract)."""
    check = TemplateCheck()
    try:
        template = _open_template(docx)
        sources = _template_sources(template)
        declared = template.get_undeclared_template_variables(jinja_env=_ENV)
        asts = [_ENV.parse(source) for source in sources]
    except TemplateError as exc:
        check.errors.append(str(exc))
        return check
    except TemplateSyntaxError as exc:
        check.errors.append(_describe_jinja_error(exc))
        return check

    paths: set[str] = set()
    unsafe: set[str] = set()
    for ast in asts:
        walker = _Walker(ast)
        paths |= walker.paths
        unsafe |= walker.unsafe
    if unsafe:
        check.errors.append(
            _("Шаблон обращается к служебным данным (%(names)s), это запрещено.")
            % {"names": ", ".join(sorted(unsafe))}
        )
        return check
    check.names = sorted(declared)
    unknown = {p for p in paths if p not in _KNOWN and p not in _KNOWN_PREFIXES}
    unknown |= {n for n in declared if n not in _KNOWN_PREFIXES and n not in _ENV.globals}
    check.unknown = sorted(unknown)
    if not check.unknown:
        try:
            render_contract_docx(docx, example_context(), stamp=False)
        except TemplateError as exc:
            check.errors.append(str(exc))
    return check


def render_contract_docx(
    template_docx: bytes,
    context: dict,
    *,
    stamp: bool,
    stamp_png: bytes | None = None,
    signature_png: bytes | None = None,
) -> bytes:
    """The filled contract. With stamp=True, `{{ stamp }}` and `{{ signature }}` become the
    given images (a missing image leaves its place empty); without, both are empty."""
    template = _open_template(template_docx)
    context = dict(context)
    context["stamp"] = ""
    context["signature"] = ""
    if stamp and stamp_png:
        context["stamp"] = InlineImage(template, io.BytesIO(stamp_png), width=STAMP_WIDTH)
    if stamp and signature_png:
        context["signature"] = InlineImage(
            template, io.BytesIO(signature_png), width=SIGNATURE_WIDTH
        )
    try:
        template.render(context, jinja_env=_ENV, autoescape=True)
        out = io.BytesIO()
        template.save(out)
    except (SecurityError, UndefinedError, TemplateSyntaxError, UnrecognizedImageError) as exc:
        raise TemplateError(_describe_jinja_error(exc)) from exc
    except (TypeError, ValueError, ArithmeticError, LookupError) as exc:
        raise TemplateError(_describe_jinja_error(exc)) from exc
    return out.getvalue()
