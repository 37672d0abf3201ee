"""Chapter 8's digit-classifier trainer: its computation agrees with helpers, its display with its computation."""

import numpy as np
import pytest

from helpers import MLP, cross_entropy, one_hot, softmax
from helpers.data import load_digits_split
from helpers.widgets.digits_trainer import DigitsTrainer, digits_trainer_state

pytestmark = pytest.mark.widgets


@pytest.fixture(scope="module")
def digits():
    return load_digits_split()


def test_digits_trainer_state_matches_mlp_fit(digits):
    out = digits_trainer_state(hidden=16, lr=1.0, epochs=3, smoothing=0.0, data=digits)
    model = MLP([64, 16, 10], seed=0)
    hist = model.fit(digits["X_train"], digits["y_train"], epochs=3, batch_size=16, lr=1.0, progress=False,
                     X_val=digits["X_val"], y_val=digits["y_val"])
    for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
        np.testing.assert_allclose(out["history"][key], hist[key], rtol=1e-10, atol=1e-12)
    acc = np.mean(model.predict(digits["X_test"]) == digits["y_test"])
    assert out["test_accuracy"] == pytest.approx(acc, abs=1e-12)


def test_digits_trainer_val_loss_is_cross_entropy_of_final_weights(digits):
    out = digits_trainer_state(hidden=8, lr=0.5, epochs=2, smoothing=0.1, data=digits)
    logits = out["model"].forward(digits["X_val"])
    assert out["history"]["val_loss"][-1] == pytest.approx(cross_entropy(logits, digits["y_val"]), rel=1e-10)


def test_digits_trainer_smoothing_trains_on_smoothed_targets(digits):
    out = digits_trainer_state(hidden=8, lr=0.5, epochs=2, smoothing=0.2, data=digits)
    model = MLP([64, 8, 10], seed=0)
    hist = model.fit(digits["X_train"], one_hot(digits["y_train"], 10, smoothing=0.2), epochs=2, batch_size=16,
                     lr=0.5, progress=False)
    np.testing.assert_allclose(out["history"]["loss"], hist["loss"], rtol=1e-10)
    plain = digits_trainer_state(hidden=8, lr=0.5, epochs=2, smoothing=0.0, data=digits)
    assert not np.allclose(out["history"]["loss"], plain["history"]["loss"])


def test_digits_trainer_confidence_is_mean_top_probability(digits):
    out = digits_trainer_state(hidden=8, lr=0.5, epochs=2, smoothing=0.0, data=digits)
    p = softmax(out["model"].forward(digits["X_test"]), axis=1)
    assert out["test_confidence"] == pytest.approx(p.max(axis=1).mean(), rel=1e-12)


def test_digits_trainer_refuses_smoothing_outside_range(digits):
    with pytest.raises(ValueError, match="smoothing"):
        digits_trainer_state(hidden=8, lr=0.5, epochs=1, smoothing=1.0, data=digits)


def test_digits_trainer_explorer_readout_follows_a_slider_move(digits):
    explorer = DigitsTrainer(hidden=8, lr=1.0, epochs=2, smoothing=0.0)
    before = explorer.values()
    assert before["epochs"] == "2" and before["hidden"] == "8"
    explorer.controls[2].value = 4  # epochs
    values = explorer.values()
    assert values["epochs"] == "4"
    expected = digits_trainer_state(hidden=8, lr=1.0, epochs=4, smoothing=0.0, data=digits)
    assert float(values["test_accuracy"]) == pytest.approx(expected["test_accuracy"], abs=1e-7)
    assert float(values["val_loss"]) == pytest.approx(expected["history"]["val_loss"][-1], rel=1e-7)
    x, y = explorer.l_vloss.get_data()
    assert len(x) == 4
    np.testing.assert_allclose(y, expected["history"]["val_loss"], rtol=1e-10)


def test_digits_trainer_display_bundle_is_deterministic():
    a = DigitsTrainer(hidden=8, epochs=2)._repr_mimebundle_()
    b = DigitsTrainer(hidden=8, epochs=2)._repr_mimebundle_()
    assert a["text/plain"] == b["text/plain"]
    assert "image/png" in a
