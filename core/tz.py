"""The library network's one time zone: years, days and opening hours are counted in Lutsk."""

from zoneinfo import ZoneInfo

KYIV = ZoneInfo("Europe/Kyiv")
