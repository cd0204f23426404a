"""What the campaign wizard posts, read into one object and checked with the API's own serializers, so the page and
the API refuse exactly the same input."""

from dataclasses import dataclass, field

from notes.selectors import find_notes, unknown_notes_message

from ..api.serializers import CampaignPlanSerializer, CampaignSerializer, UnitSerializer
from ..choices import Placement
from ..models import Campaign

TARGETING_LISTS = ("regions", "age_bands", "interests")


def _messages(detail) -> list[str]:
    if isinstance(detail, dict):
        return [
            f"{key}: {m}" if key not in ("non_field_errors",) else m
            for key, inner in detail.items()
            for m in _messages(inner)
        ]
    if isinstance(detail, list):
        return [message for item in detail for message in _messages(item)]
    return [str(detail)]


@dataclass
class WizardInput:
    goal: str = ""
    split: bool = False
    name: str = ""
    objective: str = ""
    placement: str = Placement.FEED
    budget: str = ""
    start_date: str = ""
    end_date: str = ""
    unit_name: str = ""
    note_ids: list[str] = field(default_factory=list)
    keywords: list[dict] = field(default_factory=list)
    negative_keywords: str = ""
    components: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    age_bands: list[str] = field(default_factory=list)
    gender: str = ""
    interests: list[str] = field(default_factory=list)
    bid: str = ""
    start_now: bool = False
    validated: dict = field(default_factory=dict)

    @classmethod
    def initial(cls, note_ids: set[str]) -> "WizardInput":
        return cls(note_ids=sorted(note_ids))

    @classmethod
    def from_post(cls, post) -> "WizardInput":
        texts, types = post.getlist("keyword_text"), post.getlist("keyword_type")
        keywords = [
            {"text": text.strip(), "type": kind}
            for text, kind in zip(texts, types, strict=False)
            if text.strip() or kind
        ]
        return cls(
            goal=post.get("goal", ""),
            split=post.get("split") == "on" and bool(post.get("goal")),
            name=post.get("name", "").strip(),
            objective=post.get("objective", ""),
            placement=post.get("placement", ""),
            budget=post.get("budget", "").strip(),
            start_date=post.get("start_date", ""),
            end_date=post.get("end_date", ""),
            unit_name=post.get("unit_name", "").strip(),
            note_ids=post.getlist("note_ids"),
            keywords=keywords,
            negative_keywords=post.get("negative_keywords", ""),
            components=post.getlist("components"),
            regions=post.getlist("regions"),
            age_bands=post.getlist("age_bands"),
            gender=post.get("gender", ""),
            interests=post.getlist("interests"),
            bid=post.get("bid", "").strip(),
            start_now=post.get("start_now") == "on",
        )

    @property
    def negative_keyword_list(self) -> list[str]:
        return [line.strip() for line in self.negative_keywords.splitlines() if line.strip()]

    def placements(self) -> list[str]:
        return [Placement.FEED, Placement.SEARCH] if self.split else [self.placement]

    def _campaign_data(self) -> dict:
        data = {"name": self.name, "objective": self.objective, "start_date": self.start_date}
        if self.end_date:
            data["end_date"] = self.end_date
        if self.split:
            return data | {"goal": self.goal, "budget": self.budget}
        return data | {"placement": self.placement, "daily_budget": self.budget, "goal": self.goal}

    def _unit_data(self) -> dict:
        targeting = {name: getattr(self, name) for name in TARGETING_LISTS if getattr(self, name)}
        if self.gender:
            targeting["gender"] = self.gender
        data = {
            "name": self.unit_name or self.name,
            "note_ids": self.note_ids,
            "keywords": self.keywords,
            "negative_keywords": self.negative_keyword_list,
            "components": self.components,
            "targeting": targeting,
        }
        if self.bid:
            data["bid"] = self.bid
        return data

    def check(self, workspace) -> dict[str, list[str]]:
        """The problems by field (`__all__` for the form), as the API would answer them; {} when all is well."""
        errors: dict[str, list[str]] = {}
        serializer = (
            CampaignPlanSerializer(data=self._campaign_data())
            if self.split
            else CampaignSerializer(data=self._campaign_data(), context={"facts": {}})
        )
        if not serializer.is_valid():
            for name, detail in serializer.errors.items():
                errors.setdefault("budget" if name == "daily_budget" else name, []).extend(_messages(detail))
        else:
            self.validated["campaign"] = serializer.validated_data
        for placement in self.placements():
            unit = UnitSerializer(data=self._unit_data(), context={"campaign": Campaign(placement=placement)})
            if unit.is_valid():
                self.validated[placement] = unit.validated_data
                continue
            for name, detail in unit.errors.items():
                key = name if name in ("note_ids", "keywords", "negative_keywords", "components", "bid") else "unit"
                errors.setdefault(key, []).extend(m for m in _messages(detail) if m not in errors.get(key, []))
        if self.note_ids and "note_ids" not in errors:
            found, unknown = find_notes(workspace.enterprise, self.note_ids)
            if unknown:
                errors["note_ids"] = [str(unknown_notes_message(unknown))]
            self.validated["notes"] = [found[note_id] for note_id in self.note_ids if note_id in found]
        return errors

    def campaign_fields(self) -> dict:
        return dict(self.validated["campaign"])

    def plan_fields(self) -> dict:
        return dict(self.validated["campaign"])

    def unit_fields(self, campaign: Campaign) -> dict:
        unit = dict(self.validated[campaign.placement if self.split else self.placements()[0]])
        unit.pop("note_ids")
        unit.setdefault("keywords", [])
        return unit | {"notes": self.validated["notes"]}
