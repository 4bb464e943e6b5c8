"""The social value API's models (names unique across the project: see tests/core/test_api.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from coproduce.core.api import PatchSchema


class SroiInputLineOut(Schema):
    label: str
    detail: str
    amount: float


class SroiOutcomeOut(Schema):
    id: int
    stakeholder: str
    description: str
    indicator: str
    quantity: Decimal
    unit_cost_id: int | None
    own_value: Decimal | None
    own_source: str
    proxy_value: Decimal
    proxy_source: str
    deadweight: Decimal = Field(description="Percent, 0 to 100")
    displacement: Decimal = Field(description="Percent, 0 to 100")
    attribution: Decimal = Field(description="Percent, 0 to 100")
    drop_off: Decimal = Field(description="Percent a year after the first, 0 to 100")
    duration_years: int
    present_value: float


class SroiStepOut(Schema):
    text: str
    amount: float


class SroiSensitivityOut(Schema):
    assumption: str
    change: str
    ratio: float | None
    net_present_value: float


class SroiAnalysisOut(Schema):
    space: str
    money_inputs: Decimal
    volunteer_hours: Decimal
    include_timebank_hours: bool
    timebank_hours: float | None = Field(description="Hours given through the timebank in the space's name")
    hourly_value: Decimal
    period_start: dt.date | None
    period_end: dt.date | None
    discount_rate: Decimal = Field(description="Percent")
    notes: str
    inputs: list[SroiInputLineOut]
    inputs_total: float
    present_value: float
    net_present_value: float
    ratio: float | None = Field(description="Present value ÷ inputs; null when nothing was put in")
    outcomes: list[SroiOutcomeOut]
    steps: list[SroiStepOut]
    sensitivity: list[SroiSensitivityOut]


class SroiAnalysisIn(PatchSchema):
    money_inputs: Decimal | None = None
    volunteer_hours: Decimal | None = None
    include_timebank_hours: bool | None = None
    hourly_value: Decimal | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    discount_rate: Decimal | None = None
    notes: str | None = None


class SroiOutcomeIn(Schema):
    stakeholder: str
    description: str
    indicator: str
    quantity: Decimal
    unit_cost_id: int | None = None
    own_value: Decimal | None = None
    own_source: str = ""
    deadweight: Decimal = Decimal("0")
    displacement: Decimal = Decimal("0")
    attribution: Decimal = Decimal("0")
    drop_off: Decimal = Decimal("0")
    duration_years: int = 1


class SroiOutcomePatch(PatchSchema):
    stakeholder: str | None = None
    description: str | None = None
    indicator: str | None = None
    quantity: Decimal | None = None
    unit_cost_id: int | None = None
    own_value: Decimal | None = None
    own_source: str | None = None
    deadweight: Decimal | None = None
    displacement: Decimal | None = None
    attribution: Decimal | None = None
    drop_off: Decimal | None = None
    duration_years: int | None = None


class UnitCostOut(Schema):
    id: int
    name: str
    unit: str
    value: Decimal
    source: str
    price_year: str


class UnitCostIn(Schema):
    name: str
    unit: str
    value: Decimal
    source: str
    price_year: str


class UnitCostPatch(PatchSchema):
    name: str | None = None
    unit: str | None = None
    value: Decimal | None = None
    source: str | None = None
    price_year: str | None = None
