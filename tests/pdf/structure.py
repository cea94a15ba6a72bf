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
`Tm` inside `/Artifact` content).
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
