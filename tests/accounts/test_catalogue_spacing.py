"""The Chinese catalogue puts no space between a placeholder (a name, a number, a date) and the Chinese next to it:
“通过星河代理”, “已审核通过3篇笔记”, not “通过 星河代理”. The one exception is the quota banner, whose wording
(本月剩余可发起审核申请笔记额度 N/1000) is the platform's own."""

import re
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
PLACEHOLDER = r"(?:%\([a-z_0-9]+\)[sd]|%[sd]|\{[a-z_0-9]*\})"
STRAY_SPACE = re.compile(rf"{CJK} +{PLACEHOLDER}|{PLACEHOLDER} +{CJK}")
AS_THE_PLATFORM_WORDS_IT = {"Review quota left this month: %(remaining)s/%(limit)s"}


def test_no_space_between_a_placeholder_and_chinese():
    with CATALOGUE.open("rb") as po:
        catalogue = read_po(po)
    stray = []
    for message in catalogue:
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        texts = message.string if isinstance(message.string, tuple | list) else [message.string]
        if msgid and msgid not in AS_THE_PLATFORM_WORDS_IT:
            stray += [(msgid, text) for text in texts if text and STRAY_SPACE.search(text)]
    assert stray == []


def test_a_name_reads_without_spaces_in_the_compiled_catalogue():
    with translation.override("zh-hans"):
        assert translation.gettext("via %(agency)s") % {"agency": "星河代理"} == "通过星河代理"
