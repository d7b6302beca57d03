"""The market application: the command groups composed over the command runner."""

from __future__ import annotations

from market.application import MarketCore
from market.commands.accounts import AccountCommands
from market.commands.agencies import AgencyCommands
from market.commands.calendar import CalendarCommands
from market.commands.credit import CreditCommands
from market.commands.deadlines import DeadlineCommands
from market.commands.procurements import ProcurementCommands
from market.commands.publicity import PublicityCommands
from market.commands.registry import RegistryCommands
from market.commands.rules import RuleCommands
from market.commands.service import ServiceCommands
from market.commands.supervision import SupervisionCommands


class Market(
    RegistryCommands, AgencyCommands, ProcurementCommands, PublicityCommands, ServiceCommands, CalendarCommands,
    RuleCommands, DeadlineCommands, AccountCommands, SupervisionCommands, CreditCommands, MarketCore,
):
    """中介服务超市: one application, one event store, one notification log."""

    name = "Market"  # pinned: the stored tables and the notification log depend on it
