"""Tests of the REWIMET member bot."""
