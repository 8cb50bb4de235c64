"""ai-disclosure: synthetic content, personas and bots presented without disclosure (EN + FR).

Most rules compare what a file's metadata declares (AI-generated copy or media, synthetic personas,
a bot script) with what its reader-visible copy says. The metadata keys, bot-script globs, opening and
testimonial keys are options; the words are data in ``terms/`` (``en.toml``, ``fr.toml``, and
``tools.toml`` for generative-AI tool names). The analysis itself is in ``checks.py``; reading the
metadata in ``declarations.py``; AID103, from what the images themselves declare, in ``images.py``.
"""

from __future__ import annotations

from typing import Any

from ethicslint import Finding, Option, Rule, Severity, hookimpl

ETHICSLINT_API = "1"
CHECKER = "ai-disclosure"

_AI_ACT = "EU AI Act, Regulation (EU) 2024/1689, art. 50 (applies from 2 August 2026, art. 113)"
_FR_INFLUENCE = ("France, loi n° 2023-451 du 9 juin 2023 (influence commerciale), art. 5, as rewritten by "
                 "ordonnance n° 2024-978 du 6 novembre 2024")
_FTC_REVIEWS = "US FTC Trade Regulation Rule on Consumer Reviews and Testimonials, 16 CFR part 465 (effective 21 October 2024)"
_FTC_ENDORSEMENTS = "US FTC Guides Concerning Endorsements and Testimonials, 16 CFR part 255 (revised, effective 26 July 2023)"

AI_TEXT = Rule(
    code="AID101",
    name="undisclosed-ai-text",
    checker=CHECKER,
    severity=Severity.WARNING,
    summary="Flags a file whose metadata declares AI-generated or AI-assisted copy while no reader-visible line "
            "discloses it.",
    why="The file's own metadata (front matter `ai_generated`, `generated_by: ChatGPT`, `model: gpt-4o`, "
        "`<meta name=\"generator\" content=\"Jasper AI\">`) says a machine wrote the copy, yet readers are not "
        "told. AI Act art. 50(4) requires deployers to disclose AI-generated text published to inform the "
        "public on matters of public interest, unless a person reviewed it and holds editorial responsibility; "
        "ordinary product copy is generally outside 50(4), which is why this is a warning, and `ai_assisted` "
        "(a person wrote or edited it) is reported at info level. Saying so is cheap and keeps trust when "
        "readers find out. The finding sits on the metadata line.",
    example="---\nai_generated: true\n---\nCut from European flax and garment-washed for a lived-in softness.",
    use_instead="---\nai_generated: true\n---\nCut from European flax and garment-washed for a lived-in softness.\n\n"
                "*Written with the help of AI and reviewed by our team.* / "
                "*Texte rédigé avec l'aide de l'IA et relu par notre équipe.*",
    fix="Add a visible disclosure anywhere in the file (body, footer, caption): \"Generated with AI\", "
        "\"Written with the help of AI\", \"#AI\", « Contenu généré par IA », « #IA »; or correct the metadata "
        "if a person wrote the copy.",
    references=(f"{_AI_ACT}, paragraphs 4 and 5", "ethicslint POLICY.md, ai-disclosure"),
)

AI_MEDIA = Rule(
    code="AID102",
    name="undisclosed-synthetic-media",
    checker=CHECKER,
    severity=Severity.WARNING,
    summary="Flags a file whose metadata declares AI-generated images, video or voice (`synthetic_media`, "
            "`tool: midjourney`) while nothing the reader sees labels them.",
    why="Photorealistic generated images and voices are read as records of real people and places. AI Act "
        "art. 50(4) requires deployers to disclose deep fakes (image, audio or video resembling real people, "
        "objects, places or events), clearly and at the first exposure at the latest (50(5)). In French "
        "commercial influence, images produced by AI to represent a face or a body must carry the mention "
        "« Images virtuelles » (images whose face or body was edited: « Images retouchées »); the mentions "
        "must be clear, legible and understandable, and an equivalent wording suited to the format is allowed "
        "(loi n° 2023-451, art. 5 I).",
    example="---\ntool: midjourney\n---\n![A woman smiling on a whitewashed terrace](hero.jpg)",
    use_instead="![AI-generated image: a woman smiling on a whitewashed terrace](hero.jpg) — in a French "
                "influence post: « Images virtuelles »",
    fix="Label the media where they appear: alt text or caption \"AI-generated image\", \"Computer-generated\", "
        "\"synthetic voice\"; in French « Images virtuelles » (the wording the 2023 influence law requires for "
        "AI-made faces and bodies), « Image générée par IA », « voix de synthèse ».",
    references=(f"{_AI_ACT}, paragraphs 4 and 5", f"{_FR_INFLUENCE}, I 2°",
                "Code de la santé publique L2133-2 (« Photographie retouchée », commercial photos of models)"),
)

AI_IMAGE = Rule(
    code="AID103",
    name="unlabelled-ai-image",
    checker=CHECKER,
    severity=Severity.WARNING,
    summary="Flags an image whose own metadata (IPTC digital source type in its XMP, or a C2PA Content "
            "Credentials manifest) says it was generated or composited with AI, shown with no label near it. "
            "Runs only with the `images` extra installed (`pip install \"ethicslint[images]\"`).",
    why="Generators and editing tools write provenance into the image: the IPTC field "
        "`Iptc4xmpExt:DigitalSourceType` takes `trainedAlgorithmicMedia` for an image made by a generative "
        "model and `compositeWithTrainedAlgorithmicMedia` for a composite holding generated parts, and C2PA "
        "manifests record the same values on their `c2pa.created` / `c2pa.edited` actions. When the file itself "
        "says AI made it and the page shows it as a photograph, readers are misled: AI Act art. 50(4) requires "
        "deployers to disclose deep fakes (50(5): at the first exposure at the latest), and French commercial "
        "influence requires « Images virtuelles » on AI-made faces and bodies (loi n° 2023-451, art. 5). The images "
        "are those the page shows (Markdown images, HTML `img` `src`/`srcset`, `source`, `video poster`, MJML "
        "`mj-image`, front-matter keys of the `image-keys` option), resolved inside the checked repository; remote "
        "URLs are not fetched. A label counts in the alt text, a caption, the surrounding paragraphs, or a "
        "page-level line that stands apart from any image. The finding sits on the image reference and names "
        "the file and where its metadata said so.",
    example="![Our founder on the terrace](img/founder.jpg)   # founder.jpg: XMP DigitalSourceType "
            "trainedAlgorithmicMedia",
    use_instead="![AI-generated image: our founder on the terrace](img/founder.jpg) / "
                "![Image générée par IA : notre fondatrice sur la terrasse](img/fondatrice.jpg)",
    fix="Label the image where readers see it: alt text or caption \"AI-generated image\", \"Image edited "
        "with AI\"; in French « Image générée par IA », « Images virtuelles » for an AI-made face or body; or "
        "replace it with a photograph. If the metadata is wrong, correct it in the file.",
    references=(f"{_AI_ACT}, paragraphs 4 and 5", f"{_FR_INFLUENCE}, I 2°",
                "IPTC Photo Metadata Standard, Digital Source Type vocabulary",
                "C2PA Technical Specification, actions assertion (digitalSourceType)"),
)

PERSONA = Rule(
    code="AID201",
    name="synthetic-persona-presented-as-real",
    checker=CHECKER,
    severity=Severity.WARNING,
    summary="Flags a virtual influencer, AI avatar, synthetic voice or persona that the copy presents like a real "
            "person, with no disclosure anywhere the reader sees.",
    why="A persona declared synthetic in the metadata (`virtual_influencer: Léa`, `personas: [{name: Kai, "
        "synthetic: true}]`, `synthetic_voice: true`), or named as one in the copy (\"our virtual influencer\", "
        "« notre égérie virtuelle »), is presented as someone readers can relate to, trust and imitate. The FTC "
        "Endorsement Guides count virtual influencers as endorsers (16 CFR 255.0); AI Act art. 50(4) requires "
        "disclosure of deep fakes; French influence law requires « Images virtuelles » on AI-produced images of "
        "a face or a body (loi n° 2023-451, art. 5 I 2°). \"Virtual\" alone does not tell readers the person "
        "does not exist or was made by AI. A disclosure anywhere in the file (body, caption, alt text, footer) "
        "clears the finding, as POLICY.md puts it: anywhere the reader sees it.",
    example="---\nvirtual_influencer: Léa\n---\nMeet Léa, our new brand ambassador. She spends her weekends hiking.",
    use_instead="Meet Léa, our virtual brand ambassador, created with AI. (Virtual images) / « Découvrez Léa, "
                "notre égérie virtuelle. Images virtuelles »",
    fix="Say the person is AI-generated where readers meet them: \"AI-generated\", \"a virtual character created "
        "with AI\", \"synthetic voice\"; in French posts, the legal mention « Images virtuelles » (and "
        "« voix de synthèse » for a voice).",
    references=(f"{_AI_ACT}, paragraph 4", f"{_FR_INFLUENCE}, I 2°", f"{_FTC_ENDORSEMENTS}, 255.0"),
)

BOT_HUMAN = Rule(
    code="AID301",
    name="bot-claims-to-be-human",
    checker=CHECKER,
    severity=Severity.ERROR,
    summary="Flags a chatbot script, or copy sent as a synthetic persona, that claims a human is speaking "
            "(\"I'm a real person\", « je suis une vraie conseillère », \"I'm not a bot\").",
    why="Telling people they are talking to a person when a program answers is the deception AI Act art. 50(1) "
        "exists to prevent: people interacting with an AI system must be informed of it unless it is obvious, "
        "and a claim of humanity makes it impossible to tell. It also changes what people share and how much "
        "they trust the answers. The file is a bot script when its metadata says `channel: chatbot` (or another "
        "bot channel) or its path matches the `bot-scripts` option; copy whose sender (`from`) is a persona "
        "declared synthetic is treated the same. Offers to hand over (\"Talk to a real person\") are not claims.",
    example="greeting: \"Hi! I'm Sarah, a real person from the Lumen support team.\"",
    use_instead="greeting: \"Hi! I'm Sarah, Lumen's AI assistant. I can hand you over to a person from our team "
                "at any time.\" / « Bonjour, je suis Julie, l'assistante virtuelle (IA) de Lumen. »",
    fix="Remove the claim; say the assistant is automated, and when a person really takes over, say so in "
        "the handover message.",
    references=(f"{_AI_ACT}, paragraphs 1 and 5", "ethicslint POLICY.md, ai-disclosure"),
)

BOT_UNDISCLOSED = Rule(
    code="AID302",
    name="bot-opens-without-disclosure",
    checker=CHECKER,
    severity=Severity.WARNING,
    summary="Flags the opening message of a declared bot script that does not say it is an automated assistant "
            "(\"Hi, I'm Sarah from support\", « Bonjour, je suis Julie, votre conseillère »).",
    why="AI Act art. 50(1) requires that people be informed they are interacting with an AI system, and 50(5) "
        "that the information come at the first interaction at the latest. A greeting with a first name and a "
        "job title reads as a person. In a keyed strings file the disclosure must be in the opening message "
        "(keys from the `opening-keys` option, else the first message) or in the chat chrome shown with it "
        "(title, header, label, disclaimer); in a Markdown or HTML script, anywhere in the file.",
    example="channel: chatbot\ngreeting: \"Hi, I'm Sarah from support 👋 How can I help today?\"",
    use_instead="channel: chatbot\ngreeting: \"Hi, I'm Sarah, Lumen's AI assistant 👋 How can I help today?\" / "
                "« Bonjour, je suis Julie, l'assistante virtuelle (IA) de Lumen. »",
    fix="Say it in the first message or in the chat header: \"AI assistant\", \"virtual assistant\", "
        "\"automated assistant\", « assistant virtuel (IA) », « robot conversationnel ».",
    references=(f"{_AI_ACT}, paragraphs 1 and 5", "ethicslint POLICY.md, ai-disclosure"),
)

HUMAN_MADE = Rule(
    code="AID401",
    name="human-made-claim-contradicted",
    checker=CHECKER,
    severity=Severity.ERROR,
    summary="Flags \"100% human-written\", \"No AI\", « créé par des humains », « garantie humaine » in a file "
            "whose metadata declares AI-generated or AI-assisted content.",
    why="A \"human-made\" promise is a selling point precisely because readers value it (broadcasters now "
        "advertise a \"human guarantee\"); when the file's own metadata says AI wrote or drew it, the claim is "
        "false: a misleading statement about how the product was made (Unfair Commercial Practices Directive "
        "2005/29/EC art. 6(1)(b), \"method ... of manufacture\"; Code de la consommation L121-2 2° b, « mode et date de "
        "fabrication »). It needs to be true, or removed. A claim about the text (\"human-written\") is only contradicted by AI "
        "text; a general one (\"no AI\", « sans IA ») by any declared AI use. Discussing such claims, in quotes "
        "or as an example, is not a finding.",
    example="---\nai_generated: true\n---\nEvery word on this blog is 100% human-written by our editors.",
    use_instead="Our editors draft every article with AI tools, then test each product and rewrite the result. / "
                "« Nos rédacteurs s'appuient sur l'IA pour le premier jet, puis testent et réécrivent. »",
    fix="Remove the claim, or make it true; say how AI was used instead.",
    references=("Directive 2005/29/EC (UCPD), art. 6(1)(b)", "Code de la consommation, L121-2 2° b",
                f"{_AI_ACT}, paragraph 4"),
)

TESTIMONIAL = Rule(
    code="AID501",
    name="ai-generated-testimonial",
    checker=CHECKER,
    severity=Severity.ERROR,
    summary="Flags testimonials and reviews (sections under headings such as \"What our customers say\", "
            "« Avis clients », or keys such as `testimonials:`) whose metadata marks them AI-generated or whose "
            "attribution is a persona declared synthetic.",
    why="A review is worth something because a real customer had the experience. The FTC rule on consumer "
        "reviews and testimonials bans writing or buying reviews that misrepresent that they are by someone "
        "who does not exist or who had no experience of the product, AI-generated ones included (16 CFR "
        "465.2). In the EU, submitting or commissioning false consumer reviews or endorsements is banned in "
        "all circumstances (UCPD Annex I point 23c; France, Code de la consommation L121-4 28°). A label saying the quotes are fictional examples "
        "clears the finding; an AI label alone lowers it to a warning.",
    example="testimonials:\n  - quote: \"My back pain is gone.\"\n    author: \"Megan T., Denver\"   "
            "# file declared ai_generated: true",
    use_instead="Publish real, attributable reviews collected after purchase, including critical ones; or "
                "remove the section.",
    fix="Delete generated testimonials and those attributed to synthetic personas; collect real ones. A "
        "disclosure does not turn an invented review into a real one.",
    references=(f"{_FTC_REVIEWS}, 465.2", "Directive 2005/29/EC, Annex I point 23c",
                "Code de la consommation, L121-4 28°"),
)

RULES = [AI_TEXT, AI_MEDIA, AI_IMAGE, PERSONA, BOT_HUMAN, BOT_UNDISCLOSED, HUMAN_MADE, TESTIMONIAL]

DEFAULT_PROVENANCE_KEYS = ["ai_generated", "ai_assisted", "generated_by", "synthetic_media", "model", "tool",
                           "generator", "ai_tool", "ai_tools", "ai_model", "created_with", "made_with"]
DEFAULT_PERSONA_KEYS = ["virtual_influencer", "virtual_influencers", "synthetic_persona", "synthetic_personas",
                        "ai_persona", "ai_personas", "virtual_persona", "virtual_personas", "ai_avatar",
                        "ai_avatars", "virtual_ambassador", "personas", "persona", "synthetic_voice", "ai_voice"]
DEFAULT_IMAGE_KEYS = ["image", "images", "cover", "og_image", "hero", "thumbnail", "featured_image", "banner"]
DEFAULT_BOT_SCRIPTS = ["**/chatbot/**", "**/chatbots/**", "**/bots/**", "**/bot/**"]
DEFAULT_BOT_CHANNELS = ["chatbot", "chat-bot", "bot", "voicebot", "callbot", "assistant", "virtual-assistant",
                        "ai-assistant", "conversational-agent", "agent-conversationnel", "assistant-virtuel"]
DEFAULT_OPENING_KEYS = ["greeting", "greetings", "welcome", "welcome_message", "opening", "intro", "hello",
                        "first_message", "start", "accueil", "bienvenue", "ouverture", "salutation",
                        "message_accueil", "message_bienvenue"]
DEFAULT_USER_KEYS = ["user", "users", "utterance", "utterances", "example", "examples", "exemples", "intents",
                     "training_phrases", "patterns", "samples", "menu", "buttons", "quick_replies", "options",
                     "choices", "suggestions", "boutons", "utilisateur", "choix"]
DEFAULT_TESTIMONIAL_KEYS = ["testimonials", "testimonial", "reviews", "customer_reviews", "avis", "avis_clients",
                            "temoignages", "témoignages", "temoignage", "témoignage"]


@hookimpl
def ethicslint_rules() -> list[Rule]:
    return list(RULES)


@hookimpl
def ethicslint_options() -> list[Option]:
    return [
        Option("provenance-keys", "list[str]", DEFAULT_PROVENANCE_KEYS,
               "Metadata keys that declare AI involvement. Flags (ai_generated, ai_assisted, synthetic_media) count "
               "when true or when they name what was generated (\"images\"); the others count when their value "
               "names a generative-AI tool (terms/tools.toml)."),
        Option("persona-keys", "list[str]", DEFAULT_PERSONA_KEYS,
               "Metadata keys that declare synthetic personas or voices. `personas`/`persona` entries need a "
               "synthetic flag (synthetic, virtual, ai: true)."),
        Option("bot-scripts", "list[str]", DEFAULT_BOT_SCRIPTS,
               "Globs (matched against the file's path) of chatbot and voice-bot scripts."),
        Option("bot-channels", "list[str]", DEFAULT_BOT_CHANNELS,
               "Values of the `channel` metadata key that make a file a bot script."),
        Option("opening-keys", "list[str]", DEFAULT_OPENING_KEYS,
               "Keys of the opening message in keyed bot scripts (else the first message is the opening)."),
        Option("user-keys", "list[str]", DEFAULT_USER_KEYS,
               "Keys whose strings are the user's side of a bot script (intents, examples, menu buttons)."),
        Option("testimonial-keys", "list[str]", DEFAULT_TESTIMONIAL_KEYS,
               "Keys of testimonials and reviews in YAML/JSON string files."),
        Option("image-keys", "list[str]", DEFAULT_IMAGE_KEYS,
               "Front-matter keys whose image files (a string, or a list of strings, naming a .png, .jpg, .webp, "
               ".tif... file) the page shows, for AID103."),
        Option("extra-terms", "terms", {},
               "More terms per entry of terms/<lang>.toml or tools.toml, e.g. "
               "{\"testimonial-heading\": {\"phrases\": [\"our fans\"]}, \"text-tools\": {\"phrases\": [\"our-llm\"]}}; "
               "nest under \"en\"/\"fr\" for one language."),
    ]


@hookimpl
def ethicslint_check_document(document: Any, config: dict[str, Any]) -> list[Finding]:
    from .checks import Rules, check  # imports spaCy-backed matching only when a document is checked

    return check(document, config, Rules(AI_TEXT, AI_MEDIA, PERSONA, BOT_HUMAN, BOT_UNDISCLOSED, HUMAN_MADE,
                                         TESTIMONIAL, AI_IMAGE))
