"""Healing Together: a relationship reflection workbook for couples."""
