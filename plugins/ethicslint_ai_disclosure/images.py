"""AID103: an image whose own metadata says AI made it (or AI went into it), shown with no label near it.

The host reads each image's provenance (``ethicslint.ImageRef.provenance``: the IPTC
``DigitalSourceType`` of its XMP and of its C2PA manifests' actions); without the ``images`` extra
there is none, and this rule finds nothing. What makes an image AI-made is the IPTC vocabulary:
``trainedAlgorithmicMedia`` (made by a generative model) and ``compositeWithTrainedAlgorithmicMedia``
(a composite holding generated parts); every other value (``digitalCapture``, ``humanEdits``,
``algorithmicMedia``...) is not.

A label counts when the reader sees it *near* the image, or on the page as a whole:

* near: the segments whose source range holds the reference (a Markdown paragraph around
  ``![alt](src)``), and the two visible segments on each side of it (the alt text, a caption above or
  below, the surrounding paragraphs), not beyond the section's heading before it nor into the next
  section after it; another image's alt text or title is not near this one (in a gallery, each
  image's alt labels that image only), a caption between two images is near both; for a front-matter image (``hero``, ``og_image``), the page's
  first two visible segments (its title and lead);
* page-level: a label in a segment that is near no image at all ("All images on this page were made
  with AI.", « Images virtuelles » in a footer): it speaks for every image of the page.

A label is any media or generic disclosure the other AID rules know (terms ``[disclose-*]``, "made with
Midjourney") or an ``[image-label]`` term ("AI-composited", « image générée »), not negated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ethicslint import Finding, ImageRef, Rule, SourceClaim, is_negated

from .checks import AGENT_PREFILTER, DISCLOSURE_PREFILTER, terms_for

if TYPE_CHECKING:  # pragma: no cover
    from .checks import Seg, View

IPTC = "cv.iptc.org/newscodes/digitalsourcetype/"  # after http:// (or https://, as some tools write it)
AI_SOURCE_TYPES = {"trainedAlgorithmicMedia": "AI-generated",
                   "compositeWithTrainedAlgorithmicMedia": "AI-composited"}
LABEL_KINDS = {"media", "generic", "persona"}  # the disclosures that can label an image
IMAGE_LABEL = frozenset({"image-label"})
# every label a disclosure or an image label needs one of (checks._disclosures: a [disclose-*] term, or an AI agent)
ANY_LABEL = IMAGE_LABEL | DISCLOSURE_PREFILTER | AGENT_PREFILTER
NEAR = 2  # visible segments on each side of an image that count as near it
FRONT_MATTER = "front-matter:"
OWN_TEXT_KINDS = frozenset({"alt", "title"})  # segments that belong to one image
TAG_ORIGINS = frozenset({"img", "srcset", "source", "poster", "mj-image"})


def ai_claim(image: ImageRef) -> tuple[SourceClaim, str] | None:
    """The first claim of ``image``'s provenance that says AI made it, and what it says."""
    if image.provenance is None:
        return None
    for claim in image.provenance.claims:
        name = claim.source_type.rsplit("/", 1)[-1]
        if (IPTC in claim.source_type or "/" not in claim.source_type) and name in AI_SOURCE_TYPES:
            return claim, AI_SOURCE_TYPES[name]
    return None


def check(view: View, rule: Rule) -> list[Finding]:
    keys = {k.lower() for k in view.config.get("image-keys", [])}
    shown = [image for image in view.document.images if _counted(image, keys)]
    flagged = [(image, found) for image in shown if image.file and (found := ai_claim(image))]
    if not flagged:
        return []
    visible = sorted((s for s in view.segs if s.visible), key=lambda s: s.seg.segment.source_offset(0))
    ranges = {seg.index: _range(seg) for seg in visible}
    near_of = {id(image): _near(image, visible, ranges, view.document.source) for image in shown}
    near_any = {seg.index for near in near_of.values() for seg in near}
    labelled: dict[int, bool] = {}  # by segment: in a gallery, neighbours share their segments

    def is_labelled(seg: Seg) -> bool:
        if seg.index not in labelled:
            labelled[seg.index] = _labelled(seg)
        return labelled[seg.index]

    page_labelled: bool | None = None  # looked up only when an image has no label of its own
    findings: list[Finding] = []
    reported: set[str] = set()
    last_tag_end = -1  # the end of the last reported reference that sits in an HTML tag
    for image, (claim, what) in flagged:
        # <img src srcset> shows one image at one of several sizes: one finding per tag
        same_tag = image.origin in TAG_ORIGINS and last_tag_end >= 0 and \
            ">" not in view.document.source[last_tag_end:image.offset]
        if image.file in reported or same_tag:
            continue
        near = near_of[id(image)]
        if any(is_labelled(seg) for seg in near):
            continue
        if page_labelled is None:
            page_labelled = any(is_labelled(seg) for seg in visible if seg.index not in near_any)
        if page_labelled:
            return []
        reported.add(image.file or "")
        last_tag_end = image.end if image.origin in TAG_ORIGINS else -1
        kind = claim.source_type.rsplit("/", 1)[-1]
        findings.append(view.document.finding_at(
            rule, image.offset, image.end,
            f"'{image.file}' is {what} by its own metadata ({claim.evidence}: {kind}), but nothing near it "
            f"tells readers; add {_wording(view, near, what)}"))
    return findings


def _wording(view: View, near: list[Seg], what: str) -> str:
    """The label to suggest, from the terms of the language around the image (``[image-label]``)."""
    matcher = near[0].matcher if near else terms_for(view.document.lang, view.config)
    data = matcher.table.data.get("image-label", {})
    return str(data.get("composite_wording" if what == "AI-composited" else "wording", "a visible label"))


def _counted(image: ImageRef, keys: set[str]) -> bool:
    """Every image of the markup; a front-matter image only under one of the ``image-keys``."""
    if image.origin.startswith(FRONT_MATTER):
        return image.origin[len(FRONT_MATTER):].lower() in keys
    return True


def _near(image: ImageRef, visible: list[Seg], ranges: dict[int, tuple[int, int]], source: str) -> list[Seg]:
    """The visible segments near ``image`` (see the module docstring), nearest first; ``ranges``:
    each segment's source range, by index."""
    if image.origin.startswith(FRONT_MATTER):
        return visible[:NEAR]
    # another image's alt text or title is that image's label, not this one's (a gallery)
    candidates = [seg for seg in visible
                  if seg.seg.kind not in OWN_TEXT_KINDS or _owns(image, ranges[seg.index], source)]
    holding, before, after = [], [], []
    for seg in candidates:
        start, end = ranges[seg.index]
        if start <= image.offset < end:
            holding.append(seg)
        elif start < image.offset:
            before.append(seg)
        else:
            after.append(seg)
    previous: list[Seg] = []
    for seg in reversed(before[-NEAR:]):  # back to the section's heading at most
        previous.append(seg)
        if seg.seg.kind == "heading":
            break
    following: list[Seg] = []
    for seg in after[:NEAR]:  # up to the next heading, which starts another section
        if seg.seg.kind == "heading":
            break
        following.append(seg)
    return holding + previous + following


def _range(seg: Seg) -> tuple[int, int]:
    segment = seg.seg.segment
    return segment.source_offset(0), segment.source_offset(len(segment.text))


def _owns(image: ImageRef, seg_range: tuple[int, int], source: str) -> bool:
    """Whether an alt text or title segment (its source range) is ``image``'s own: in the same tag
    (HTML, MJML), or the label and title of the same ``![alt](src "title")`` (Markdown)."""
    start, end = seg_range
    if image.origin == "markdown":
        if start <= image.offset <= end:  # ![alt][ref]: the reference is the label itself
            return True
        between = source[end:image.offset] if end <= image.offset else source[image.end:start]
        return len(between) <= 4 and "\n\n" not in between and between.strip(" \t\n<\"'*_") in ("](", "")
    between = source[min(end, image.offset):max(start, image.end)]
    return "<" not in between and ">" not in between


def _labelled(seg: Seg) -> bool:
    if not seg.may_match(ANY_LABEL):  # one pre-filter test rules out every label below: most segments
        return False
    if any(d.kind in LABEL_KINDS for d in seg.disclosures):
        return True
    if not seg.may_match(IMAGE_LABEL):
        return False
    return any(not is_negated(span, seg.lang) for span in seg.matches.get("image-label", []))
