"""Follower counts read as people read them, on every phone page that shows them: 9,876 whole with thousands
separators; from 10,000 on, in 万 (1.2万, 25万) in Chinese and K (12.3K, 250K) in English."""

import pytest
from django.template import Context, Template
from django.utils import translation

from kos_platform.templatetags.kos_numbers import follower_count, short_count
from tests.factories import RedAccountFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "count, chinese, english",
    [
        (0, "0", "0"),
        (999, "999", "999"),
        (8_765, "8,765", "8,765"),
        (9_999, "9,999", "9,999"),
        (10_000, "1万", "10K"),
        (12_345, "1.2万", "12.3K"),
        (12_500, "1.3万", "12.5K"),
        (100_000, "10万", "100K"),
        (250_000, "25万", "250K"),
        (1_234_567, "123.5万", "1.2M"),
        (999_960, "100万", "1M"),
        (99_999_999, "1亿", "100M"),
        (250_000_000, "2.5亿", "250M"),
    ],
)
def test_short_counts_in_each_language(count, chinese, english):
    assert short_count(count, "zh-hans") == chinese
    assert short_count(count, "en") == english


def test_the_filter_follows_the_active_language_and_tolerates_nothing():
    with translation.override("zh-hans"):
        assert Template("{% load kos_numbers %}{{ n|follower_count }}").render(Context({"n": 250_000})) == "25万"
    with translation.override("en"):
        assert follower_count(250_000) == "250K" and follower_count("12345") == "12.3K"
    assert follower_count(None) == "—"


def test_the_phone_pages_show_followers_in_wan_and_in_k(client):
    account = RedAccountFactory(followers=250_000)
    client.force_login(account.user)
    for url in ("/m/", f"/m/u/{account.red_id}/"):
        client.cookies.pop("kos_language", None)
        chinese = client.get(url).content.decode()
        assert '<div class="red-stat" data-testid="followers"><strong>25万</strong>' in chinese, url
        assert "250000" not in chinese
        client.cookies["kos_language"] = "en"  # the language switch
        english = client.get(url).content.decode()
        assert "<strong>250K</strong><span>Followers</span>" in english, url
    client.cookies.pop("kos_language")
    account.followers = 8_765
    account.save(update_fields=["followers"])
    assert "<strong>8,765</strong>" in client.get("/m/").content.decode()
