"""Reads a tagged PDF with pikepdf and prints what the tests check, one fact per line:
a key, a space, the value (white space folded).

Usage: python3 structure.py FILE.pdf

Prints: whether /MarkInfo /Marked is true, the catalog's /Lang, the XMP's PDF/UA and PDF/A
identification, the output intents, a count of structure elements by type, the scopes of
the table header cells, the number of notes with an /ID, the elements with a /Lang or an
/Alt, the pages with an annotation lacking /StructParent or /Contents, the web address of
every link annotation, the structure types in reading order (a depth-first walk), every
drawing operator found outside marked content (untagged content), by page, and where each
run of text drawn as an artifact starts (`artifact_text PAGE X Y`, the text matrix of each
`Tm` inside `/Artifact` content), and every inconsistency of the tree with the pages
(`tree_error WHAT`, at most 20), the checks a PDF/UA validator makes of the structure:
each marked-content id on a page is the kid of exactly one element, the one the page's
parent-tree array names; every element's /P is the element that lists it; only standard
structure types (no role map is written); the nesting of tables, lists and links; a /Alt
on every figure; each link annotation reached from its Link element and back through the
parent tree; the ID tree names the notes it lists.
"""
import sys

import pikepdf

LANGS = []
ALTS = []
DRAWING = {"Tj", "TJ", "'", '"', "re", "f", "F", "f*", "S", "s", "B", "b", "Do", "sh"}


def walk(node, counts, order, scopes, notes, depth=0):
    if not isinstance(node, pikepdf.Dictionary):
        return
    kind = node.get("/S")
    if kind is not None:
        name = str(kind)[1:]
        if node.get("/Lang") is not None:
            LANGS.append([name, str(node.get("/Lang"))])
        if node.get("/Alt") is not None:
            ALTS.append([name, str(node.get("/Alt"))])
        counts[name] = counts.get(name, 0) + 1
        order.append(name)
        if name == "TH":
            attributes = node.get("/A")
            if isinstance(attributes, pikepdf.Array) and len(attributes) > 0:
                attributes = attributes[0]
            if isinstance(attributes, pikepdf.Dictionary):
                scopes.append(str(attributes.get("/Scope", "")))
            else:
                scopes.append("")
        if name == "Note" and node.get("/ID") is not None:
            notes.append(str(node.get("/ID")))
    kids = node.get("/K")
    if kids is None:
        return
    if isinstance(kids, pikepdf.Array):
        for kid in kids:
            walk(kid, counts, order, scopes, notes, depth + 1)
    else:
        walk(kids, counts, order, scopes, notes, depth + 1)


def untagged(pdf, artifacts):
    found = []
    for number, page in enumerate(pdf.pages, start=1):
        stack = []
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BMC", "BDC"):
                stack.append(str(operands[0]) == "/Artifact")
            elif op == "EMC":
                stack.pop()
            elif op in DRAWING and not stack:
                found.append({"page": number, "operator": op})
            elif op == "Tm" and any(stack):
                artifacts.append((number, float(operands[4]), float(operands[5])))
    return found


# The standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4).
STANDARD = set(
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private "
    "H H1 H2 H3 H4 H5 H6 P L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote "
    "Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula "
    "Form".split()
)
# Where an element may stand: the types its parent may have.
PARENTS = {
    "TR": {"Table", "THead", "TBody", "TFoot"},
    "TH": {"TR"},
    "TD": {"TR"},
    "LI": {"L"},
    "Lbl": {"LI", "Note", "BibEntry", "TOCI"},
    "LBody": {"LI"},
    "TOCI": {"TOC"},
}


def key(obj):
    return obj.objgen


def tree_errors(pdf, tree):
    """The inconsistencies between the structure tree and the pages (see the docstring)."""
    errors = []
    pages = {key(page.obj): number for number, page in enumerate(pdf.pages, start=1)}
    # Each page's marked-content ids, from its content stream.
    drawn = {}
    for number, page in enumerate(pdf.pages, start=1):
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
                mcid = operands[1].get("/MCID")
                if mcid is not None:
                    drawn.setdefault(number, []).append(int(mcid))
    # The parent tree: page arrays by /StructParents, annotation elements by /StructParent.
    nums = {}

    def read_numbers(node):
        if node.get("/Nums") is not None:
            items = list(node.get("/Nums"))
            for k in range(0, len(items), 2):
                nums[int(items[k])] = items[k + 1]
        for kid in node.get("/Kids", []):
            read_numbers(kid)

    parent_tree = tree.get("/ParentTree")
    if parent_tree is None:
        return ["no /ParentTree"]
    read_numbers(parent_tree)
    # Walk the tree: who references each (page, mcid) and each annotation.
    referenced = {}
    annotations = {}

    def walk_tree(node, parent, parent_kind):
        kind = str(node.get("/S"))[1:]
        if kind not in STANDARD:
            errors.append(f"non-standard type {kind}")
        if parent is not None and key(node.get("/P")) != key(parent):
            errors.append(f"{kind} whose /P is not the element listing it")
        allowed = PARENTS.get(kind)
        if allowed is not None and parent_kind not in allowed:
            errors.append(f"{kind} inside {parent_kind}")
        if kind == "Figure" and node.get("/Alt") is None:
            errors.append("Figure without /Alt")
        kids = node.get("/K")
        if kids is None:
            kids = []
        elif not isinstance(kids, pikepdf.Array):
            kids = [kids]
        page = node.get("/Pg")
        for kid in kids:
            if isinstance(kid, int):
                where = (pages.get(key(page)), int(kid))
                referenced.setdefault(where, []).append(key(node))
            elif kid.get("/Type") == "/MCR":
                where = (pages.get(key(kid.get("/Pg", page))), int(kid.get("/MCID")))
                referenced.setdefault(where, []).append(key(node))
            elif kid.get("/Type") == "/OBJR":
                if kind != "Link":
                    errors.append(f"an annotation under {kind}, not Link")
                annotations[key(kid.get("/Obj"))] = key(node)
            else:
                walk_tree(kid, node, kind)

    top = tree.get("/K")
    for element in top if isinstance(top, pikepdf.Array) else [top]:
        walk_tree(element, None, None)
    for number, mcids in drawn.items():
        page = pdf.pages[number - 1]
        array = nums.get(int(page.get("/StructParents", -1)))
        for mcid in mcids:
            owners = referenced.pop((number, mcid), [])
            if len(owners) != 1:
                errors.append(f"page {number} MCID {mcid} is the kid of {len(owners)} elements")
            elif array is None or mcid >= len(array) or key(array[mcid]) != owners[0]:
                errors.append(f"page {number} MCID {mcid}: the parent tree names another element")
    for (number, mcid) in referenced:
        errors.append(f"page {number}: an element refers to MCID {mcid}, not drawn")
    for number, page in enumerate(pdf.pages, start=1):
        for annotation in page.get("/Annots", []):
            if annotation.get("/Subtype") != "/Link":
                continue
            element = annotations.get(key(annotation))
            parent = nums.get(int(annotation.get("/StructParent", -1)))
            if element is None:
                errors.append(f"page {number}: a link annotation no Link element holds")
            elif parent is None or key(parent) != element:
                errors.append(f"page {number}: a link annotation's parent-tree entry is wrong")
    ids = tree.get("/IDTree")
    if ids is not None:
        for name, element in pikepdf.NameTree(ids).items():
            if str(element.get("/S")) != "/Note" or str(element.get("/ID")) != name:
                errors.append(f"the ID tree's {name} is not its Note")
    return errors


def main(path):
    pdf = pikepdf.open(path)
    root = pdf.Root
    mark_info = root.get("/MarkInfo")
    meta = pdf.open_metadata()
    counts, order, scopes, notes = {}, [], [], []
    tree = root.get("/StructTreeRoot")
    if tree is not None:
        walk(tree.get("/K"), counts, order, scopes, notes)
    intents = []
    for intent in root.get("/OutputIntents", []):
        intents.append(
            {
                "subtype": str(intent.get("/S", "")),
                "profile": intent.get("/DestOutputProfile") is not None,
            }
        )
    viewer = root.get("/ViewerPreferences")
    lines = [
        ("marked", str(bool(mark_info is not None and mark_info.get("/Marked", False))).lower()),
        ("lang", str(root.get("/Lang", ""))),
        (
            "display_doc_title",
            str(bool(viewer is not None and viewer.get("/DisplayDocTitle", False))).lower(),
        ),
    ]
    for key, name in [
        ("pdfua_part", "pdfuaid:part"),
        ("pdfa_part", "pdfaid:part"),
        ("pdfa_conformance", "pdfaid:conformance"),
        ("title", "dc:title"),
    ]:
        if meta.get(name) is not None:
            lines.append((key, str(meta.get(name))))
    for intent in intents:
        lines.append(
            ("output_intent", intent["subtype"] + (" profile" if intent["profile"] else ""))
        )
    lines += [("count", f"{kind} {n}") for kind, n in sorted(counts.items())]
    lines += [("th_scope", scope) for scope in scopes]
    lines += [("note_id", note) for note in notes]
    lines += [("element_lang", f"{kind} {lang}") for kind, lang in LANGS]
    lines += [("element_alt", f"{kind} {alt}") for kind, alt in ALTS]
    artifacts = []
    lines += [
        ("untagged", f"page {u['page']} {u['operator']}") for u in untagged(pdf, artifacts)[:20]
    ]
    lines += [("artifact_text", f"{page} {x:.2f} {y:.2f}") for page, x, y in artifacts]
    if tree is not None:
        lines += [("tree_error", error) for error in tree_errors(pdf, tree)[:20]]
    for number, page in enumerate(pdf.pages, start=1):
        for annotation in page.get("/Annots", []):
            if annotation.get("/StructParent") is None or annotation.get("/Contents") is None:
                lines.append(("annotation_untagged", f"page {number}"))
            action = annotation.get("/A")
            if isinstance(action, pikepdf.Dictionary) and action.get("/URI") is not None:
                lines.append(("link_uri", str(action.get("/URI"))))
    lines += [("order", kind) for kind in order]
    for key, value in lines:
        print(key, " ".join(value.split()))


if __name__ == "__main__":
    main(sys.argv[1])
