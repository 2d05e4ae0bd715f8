"""dlcore.challenges.pca: variance shares, the fewest components, units."""

import math

from dlcore.challenges import pca as pc
from dlcore.views import pca as views


def test_one_axis_suffices():
    assert pc.one_axis_suffices(0.97).passed and pc.one_axis_suffices(1.0).passed
    assert not pc.one_axis_suffices(0.8).passed
    assert not pc.one_axis_suffices(math.nan).passed


def test_the_panel_default_cloud_is_not_a_solution_and_a_correlated_one_is():
    default = views.cloud_view(400, 2.0, 1.0, 0.6, 0, 0)
    assert not pc.one_axis_suffices(default.pc1_share).passed
    assert not pc.no_main_axis(default.pc1_share).passed
    assert pc.one_axis_suffices(views.cloud_view(400, 2.0, 1.0, 0.95, 0, 0).pc1_share).passed
    assert pc.no_main_axis(views.cloud_view(400, 1.0, 1.0, 0.0, 0, 0).pc1_share).passed


def test_no_main_axis():
    assert pc.no_main_axis(0.52).passed
    assert not pc.no_main_axis(0.6).passed
    assert not pc.no_main_axis(math.inf).passed


def test_fewest_components():
    ratios = [0.73, 0.23, 0.037, 0.003]  # iris standardised
    assert pc.fewest_components(ratios, 2).passed
    assert not pc.fewest_components(ratios, 1).passed
    assert not pc.fewest_components(ratios, 4).passed  # everything kept: more than needed
    assert pc.fewest_components([0.925, 0.05, 0.025], 1).passed
    assert not pc.fewest_components(ratios, 0).passed
    assert not pc.fewest_components([], 1).passed
    assert not pc.fewest_components([math.nan, 0.5], 1).passed


def test_units_dominate_on_wine_not_on_digits():
    wine_raw = views.pca_fit("wine", False).pca.explained_variance_ratio[0]
    wine_std = views.pca_fit("wine", True).pca.explained_variance_ratio[0]
    assert pc.units_dominate(False, wine_raw, wine_std).passed
    assert not pc.units_dominate(True, wine_raw, wine_std).passed  # the default: standardised
    assert not pc.units_dominate(False, 0.149, 0.149).passed  # digits: pixels share units
    assert not pc.units_dominate(False, 0.93, 0.73).passed  # iris: PC1 is big either way
    assert not pc.units_dominate(False, math.nan, 0.3).passed
