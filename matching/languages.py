"""Languages as participants write them ("English", "en", "en-GB", "Deutsch"), normalised to
an ISO 639-1 code where we know one, so that "must share a language" compares like with like.
"""

import re

# ISO 639-1 code → English name and, where common, the language's own name.
LANGUAGES = {
    "ar": ("Arabic", "العربية"),
    "bg": ("Bulgarian", "български"),
    "bn": ("Bengali", "বাংলা"),
    "ca": ("Catalan", "català"),
    "cs": ("Czech", "čeština"),
    "da": ("Danish", "dansk"),
    "de": ("German", "Deutsch"),
    "el": ("Greek", "ελληνικά"),
    "en": ("English", "English"),
    "es": ("Spanish", "español"),
    "et": ("Estonian", "eesti"),
    "fa": ("Persian", "فارسی"),
    "fi": ("Finnish", "suomi"),
    "fr": ("French", "français"),
    "ga": ("Irish", "Gaeilge"),
    "he": ("Hebrew", "עברית"),
    "hi": ("Hindi", "हिन्दी"),
    "hr": ("Croatian", "hrvatski"),
    "hu": ("Hungarian", "magyar"),
    "id": ("Indonesian", "Bahasa Indonesia"),
    "is": ("Icelandic", "íslenska"),
    "it": ("Italian", "italiano"),
    "ja": ("Japanese", "日本語"),
    "ko": ("Korean", "한국어"),
    "lt": ("Lithuanian", "lietuvių"),
    "lv": ("Latvian", "latviešu"),
    "ms": ("Malay", "Bahasa Melayu"),
    "nl": ("Dutch", "Nederlands"),
    "no": ("Norwegian", "norsk"),
    "pl": ("Polish", "polski"),
    "pt": ("Portuguese", "português"),
    "ro": ("Romanian", "română"),
    "ru": ("Russian", "русский"),
    "sk": ("Slovak", "slovenčina"),
    "sl": ("Slovenian", "slovenščina"),
    "sr": ("Serbian", "српски"),
    "sv": ("Swedish", "svenska"),
    "sw": ("Swahili", "Kiswahili"),
    "ta": ("Tamil", "தமிழ்"),
    "th": ("Thai", "ไทย"),
    "tl": ("Tagalog", "Tagalog"),
    "tr": ("Turkish", "Türkçe"),
    "uk": ("Ukrainian", "українська"),
    "ur": ("Urdu", "اردو"),
    "vi": ("Vietnamese", "Tiếng Việt"),
    "zh": ("Chinese", "中文"),
}
_BY_NAME = {name.casefold(): code for code, names in LANGUAGES.items() for name in names} | {
    "mandarin": "zh",
    "cantonese": "zh",
    "farsi": "fa",
    "filipino": "tl",
    "flemish": "nl",
}
_TAG = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]{2,8})*$")
_NAME = re.compile(r"^[^\W\d_]+(?: [^\W\d_]+){0,3}$")


def normalise(raw: str) -> str | None:
    """ "English" / "EN" / "en-GB" → "en"; an unknown but plausible name → its lower case;
    anything else → None."""
    text = " ".join(raw.split())
    folded = text.casefold()
    if folded in _BY_NAME:
        return _BY_NAME[folded]
    tag = _TAG.match(folded)
    if tag and tag[1] in LANGUAGES:
        return tag[1]
    if len(text) <= 40 and _NAME.match(text) and len(folded) > 3:
        return folded  # a language we don't list (e.g. "Klingon"), kept as written
    return None


def label(code: str) -> str:
    return LANGUAGES[code][0] if code in LANGUAGES else code.title()
