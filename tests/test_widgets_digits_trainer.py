"""Chapter 8's digit-classifier trainer: its computation agrees with helpers, its display with its computation."""

import numpy as np
import pytest

from helpers import MLP, cross_entropy, one_hot, softmax
from helpers.data import load_digits_split
from helpers.widgets.digits_trainer import (
    OWN,
    PRESETS,
    DigitsTrainer,
    confusions,
    digits_trainer_state,
    digits_training,
    early_stopping_epoch,
    mistakes_text,
    preset_of,
    smoothed_target_entropy,
    training_rows,
)

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
    acc = np.mean(model.predict(digits["X_val"]) == digits["y_val"])
    assert out["val_accuracy"] == pytest.approx(acc, abs=1e-12)
    assert "test_accuracy" not in out and "test_confidence" not in out  # the explorer never reads the test set


def test_digits_trainer_val_loss_is_cross_entropy_of_final_weights(digits):
    out = digits_trainer_state(hidden=8, lr=0.5, epochs=2, smoothing=0.1, data=digits)
    logits = out["model"].forward(digits["X_val"])
    assert out["history"]["val_loss"][-1] == pytest.approx(cross_entropy(logits, digits["y_val"]), rel=1e-10)


def test_digits_trainer_plots_the_training_loss_against_the_labels(digits):
    out = digits_trainer_state(hidden=8, lr=0.5, epochs=2, smoothing=0.2, data=digits)
    logits = out["model"].forward(digits["X_train"])
    assert out["history"]["label_loss"][-1] == pytest.approx(cross_entropy(logits, digits["y_train"]), rel=1e-10)
    accuracy = np.mean(logits.argmax(axis=1) == digits["y_train"])
    assert out["history"]["label_accuracy"][-1] == pytest.approx(accuracy, abs=1e-12)
    assert out["history"]["label_loss"][-1] < out["history"]["loss"][-1] - 0.3  # the smoothed targets' loss is higher
    explorer = DigitsTrainer(hidden=8, lr=0.5, epochs=2, smoothing=0.2)
    assert explorer.wait(timeout=120)
    np.testing.assert_allclose(explorer.l_loss.get_data()[1], out["history"]["label_loss"], rtol=1e-10)
    np.testing.assert_allclose(explorer.l_vloss.get_data()[1], out["history"]["val_loss"], rtol=1e-10)
    np.testing.assert_allclose(explorer.l_acc.get_data()[1], out["history"]["label_accuracy"], rtol=1e-12)


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
    p = softmax(out["model"].forward(digits["X_val"]), axis=1)
    assert out["val_confidence"] == pytest.approx(p.max(axis=1).mean(), rel=1e-12)


def test_confusions_lists_the_confusion_matrix_off_its_diagonal():
    from sklearn.metrics import confusion_matrix

    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, size=500)
    predicted = np.where(rng.random(500) < 0.8, labels, rng.integers(0, 10, size=500))
    got = confusions(labels, predicted)
    M = confusion_matrix(labels, predicted, labels=range(10))  # another route: rows true, columns predicted
    off = {(t, p): int(M[t, p]) for t in range(10) for p in range(10) if t != p and M[t, p]}
    assert dict(got) == off and len(got) == len(off)
    counts = [c for _, c in got]
    assert counts == sorted(counts, reverse=True)  # most frequent first
    assert sum(counts) == np.sum(labels != predicted)
    assert confusions([3, 3, 9, 1, 8], [8, 8, 5, 1, 1]) == [((3, 8), 2), ((8, 1), 1), ((9, 5), 1)]  # ties by class
    assert confusions([1, 2], [1, 2]) == [] and mistakes_text([]) == "none"
    assert mistakes_text(confusions([3, 3, 9, 1, 8], [8, 8, 5, 1, 1]), shown=2) == "3\u21928 \u00d72, 8\u21921, 1 more"
    with pytest.raises(ValueError, match="predicted"):
        confusions([1, 2, 3], [1, 2])


def test_the_readout_lists_the_validation_mistakes_of_the_final_weights(digits):
    explorer = DigitsTrainer(hidden=8, lr=1.0, epochs=6)
    assert explorer.wait(timeout=120)
    expected = digits_trainer_state(hidden=8, lr=1.0, epochs=6, smoothing=0.0, data=digits)
    wrong = expected["model"].predict(digits["X_val"]) != digits["y_val"]
    assert sum(c for _, c in expected["mistakes"]) == wrong.sum() == round((1 - expected["val_accuracy"]) * 270)
    assert explorer.values()["mistakes"] == mistakes_text(expected["mistakes"])
    assert "\u2192" in explorer.values()["mistakes"]  # this small network gets some wrong


def test_digits_trainer_saturated_share_counts_flat_slopes(digits):
    gentle = digits_trainer_state(hidden=8, lr=0.5, epochs=2, smoothing=0.0, data=digits)
    W1, b1 = gentle["model"].params[0]
    a = 1 / (1 + np.exp(-(digits["X_train"] @ W1 + b1)))  # the sigmoid written out, not helpers'
    assert gentle["saturated"] == pytest.approx(np.mean(a * (1 - a) < 0.05), abs=1e-12)
    assert gentle["saturated"] < 0.1
    harsh = digits_trainer_state(hidden=8, lr=16.0, epochs=2, smoothing=0.0, data=digits)  # section 8.4's rate 16
    assert harsh["saturated"] > 0.9


def test_digits_trainer_refuses_smoothing_outside_range(digits):
    with pytest.raises(ValueError, match="smoothing"):
        digits_trainer_state(hidden=8, lr=0.5, epochs=1, smoothing=1.0, data=digits)


def test_digits_training_one_epoch_at_a_time_equals_one_fit(digits):
    """The explorer trains epoch by epoch (so its curves can grow); the result is MLP.fit's."""
    model = MLP([64, 16, 10], seed=3)
    target = one_hot(digits["y_train"], 10, smoothing=0.1)
    hist = model.fit(digits["X_train"], target, epochs=4, batch_size=16, lr=1.0, progress=False,
                     X_val=digits["X_val"], y_val=digits["y_val"])
    steps = list(digits_training(16, 1.0, 4, 0.1, seed=3, data=digits))
    assert [len(h["loss"]) for _, h in steps] == [4, 4, 4, 4]  # one history, growing
    trained, history = steps[-1]
    for key in hist:
        np.testing.assert_allclose(history[key], hist[key], rtol=1e-12, atol=0)
    for (W, b), (W0, b0) in zip(trained.params, model.params):
        np.testing.assert_allclose(W, W0, rtol=1e-12, atol=1e-15)


def test_smoothed_target_entropy_is_the_floor_of_the_training_loss():
    assert smoothed_target_entropy(0.0) == 0.0
    t = np.array([0.91] + [0.01] * 9)
    assert smoothed_target_entropy(0.1) == pytest.approx(-(t * np.log(t)).sum(), rel=1e-12)
    logits = np.log(t)  # a model that predicts the target exactly reaches the floor, and no lower
    assert cross_entropy(logits[None], t[None]) == pytest.approx(smoothed_target_entropy(0.1), rel=1e-12)


def test_digits_trainer_answers_a_move_at_once_and_trains_in_the_background(digits):
    explorer = DigitsTrainer(hidden=8, lr=1.0, epochs=2, smoothing=0.0)
    assert explorer.values()["progress"] == "2 of 2"
    explorer.control["epochs"].value = 30  # returns before the training is done
    assert explorer.values()["progress"] in {f"{k} of 30 (training\u2026)" for k in range(30)}
    assert explorer.wait(timeout=120)
    values = explorer.values()
    assert values["progress"] == "30 of 30"
    expected = digits_trainer_state(hidden=8, lr=1.0, epochs=30, smoothing=0.0, data=digits)
    n_val = len(digits["y_val"])
    assert values["val_accuracy"] == f"{round(expected['val_accuracy'] * n_val)} of {n_val}"  # a count of images
    assert values["val_loss"] == f"{expected['history']['val_loss'][-1]:.3g}"  # 3 significant digits
    x, y = explorer.l_vloss.get_data()
    assert len(x) == 30
    np.testing.assert_allclose(y, expected["history"]["val_loss"], rtol=1e-10)
    assert "hidden" not in values and "lr" not in values  # the readout does not repeat the sliders


def test_digits_trainer_curves_grow_while_it_trains(digits):
    explorer = DigitsTrainer(hidden=8, lr=1.0, epochs=2)
    explorer.paint_interval = 0.0  # draw after every epoch
    seen = []
    explorer.image.observe(lambda _: seen.append(len(explorer.l_loss.get_xdata())), names="value")
    explorer.control["epochs"].value = 12
    assert explorer.wait(timeout=120)
    assert seen[0] == 0 and seen[-1] == 12  # first the cleared curves, last the whole run
    assert seen == sorted(seen) and len(set(seen)) >= 6


def test_a_new_move_cancels_the_training_in_progress(digits):
    explorer = DigitsTrainer(hidden=8, lr=1.0, epochs=2)
    explorer.control["epochs"].value = 60
    first = explorer._job
    explorer.control["lr"].value = 0.5  # a new move before the 60 epochs are done
    assert first.cancel.is_set() and not first.thread.is_alive()
    assert explorer.wait(timeout=120)
    expected = digits_trainer_state(hidden=8, lr=0.5, epochs=60, smoothing=0.0, data=digits)
    assert explorer.values()["val_loss"] == f"{expected['history']['val_loss'][-1]:.3g}"


def test_digits_trainer_explains_the_training_loss_against_smoothed_targets():
    explorer = DigitsTrainer(hidden=8, lr=1.0, epochs=3, smoothing=0.1)
    labels = {key: label for key, label, _ in explorer.rows}
    assert "smoothed targets" in labels["train_loss"] and "against the labels" in labels["val_loss"]
    assert explorer.values()["loss_floor"] == f"{smoothed_target_entropy(0.1):.3g}" == "0.5"


def test_the_seed_slider_retrains_from_that_seed(digits):
    explorer = DigitsTrainer(hidden=8, lr=1.0, epochs=3, smoothing=0.0)
    explorer.control["seed"].value = 4  # new initial weights and visiting orders
    assert explorer.wait(timeout=120)
    x, y = explorer.l_vloss.get_data()
    expected = digits_trainer_state(hidden=8, lr=1.0, epochs=3, smoothing=0.0, seed=4, data=digits)
    np.testing.assert_allclose(y, expected["history"]["val_loss"], rtol=1e-10)
    seed_0 = digits_trainer_state(hidden=8, lr=1.0, epochs=3, smoothing=0.0, seed=0, data=digits)
    assert not np.allclose(y, seed_0["history"]["val_loss"], rtol=1e-3)  # the seed changed the run
    with pytest.raises(ValueError, match="seed"):
        DigitsTrainer(hidden=8, lr=1.0, epochs=3, seed=12)  # the slider holds seeds 0-9


def test_the_rate_slider_holds_section_8_4_rates(digits):
    explorer = DigitsTrainer(hidden=8, lr=1.0, epochs=2, smoothing=0.0)
    control = explorer.control["lr"]
    assert (control.base ** control.min, control.base ** control.max) == (0.125, 16.0)
    explorer.control["lr"].value = 16.0  # the rate that fails outright in section 8.4
    assert explorer.wait(timeout=120)
    x, y = explorer.l_loss.get_data()
    expected = digits_trainer_state(hidden=8, lr=16.0, epochs=2, smoothing=0.0, data=digits)
    np.testing.assert_allclose(y, expected["history"]["label_loss"], rtol=1e-10)
    with pytest.raises(ValueError, match="lr"):
        DigitsTrainer(hidden=8, lr=3.0, epochs=2)  # between two steps of the slider (2 and 2.83)


def _saturated_by_hand(model, X):
    W1, b1 = model.params[0]
    a = 1 / (1 + np.exp(-(X @ W1 + b1)))  # the sigmoid written out, not helpers'
    return np.mean(a * (1 - a) < 0.05)


def test_the_saturated_share_is_recorded_after_every_epoch(digits):
    """history["saturated"][k] is the share at the weights after epoch k + 1, counted directly on a model
    trained epoch by epoch here; the final share is the history's last."""
    out = digits_trainer_state(hidden=16, lr=4.0, epochs=5, smoothing=0.1, data=digits)
    model = MLP([64, 16, 10], seed=0)
    target = one_hot(digits["y_train"], 10, smoothing=0.1)
    by_hand = []
    for _ in range(5):
        model.fit(digits["X_train"], target, epochs=1, batch_size=16, lr=4.0, progress=False)
        by_hand.append(_saturated_by_hand(model, digits["X_train"]))
    assert len(out["history"]["saturated"]) == 5
    np.testing.assert_allclose(out["history"]["saturated"], by_hand, rtol=0, atol=1e-12)
    assert out["saturated"] == out["history"]["saturated"][-1]
    assert len(set(by_hand)) > 1  # the share moves from epoch to epoch: the test would see a stale value


def test_the_saturated_share_tells_a_rate_too_large_from_a_good_one(digits):
    """Chapter 8's reading: at a good rate the share starts at 0 and grows slowly; at rate 8 it is near 1
    after the first epoch and stays there."""
    good = digits_trainer_state(hidden=64, lr=1.0, epochs=4, smoothing=0.1, data=digits)["history"]["saturated"]
    harsh = digits_trainer_state(hidden=64, lr=8.0, epochs=4, smoothing=0.1, data=digits)["history"]["saturated"]
    assert good[0] < 0.01 and max(good) < 0.05 and good[-1] > good[0]
    assert min(harsh) > 0.95


def test_dropped_epochs_is_the_last_third_rounded():
    from helpers.widgets.digits_trainer import dropped_epochs

    assert dropped_epochs(60) == 20 and dropped_epochs(40) == 13 and dropped_epochs(3) == 1
    assert [dropped_epochs(e) for e in range(1, 8)] == [0, 1, 1, 1, 2, 2, 2]
    assert all(dropped_epochs(e) == round(e / 3) for e in range(1, 61))  # a third is never halfway


def test_the_drop_replays_chapter_8s_recipe(digits):
    """64 hidden units, rate 2 for 40 epochs then 0.5 for 20, batches of 16, smoothing 0.1: two fit calls."""
    out = digits_trainer_state(64, 2.0, 60, 0.1, drop=True, data=digits)
    model = MLP([64, 64, 10], seed=0)
    target = one_hot(digits["y_train"], 10, smoothing=0.1)
    fit = dict(batch_size=16, progress=False, X_val=digits["X_val"], y_val=digits["y_val"])
    first = model.fit(digits["X_train"], target, epochs=40, lr=2.0, **fit)
    second = model.fit(digits["X_train"], target, epochs=20, lr=0.5, **fit)
    for key in first:
        np.testing.assert_allclose(out["history"][key], first[key] + second[key], rtol=1e-12, atol=0)
    for (W, b), (W0, b0) in zip(out["model"].params, model.params):
        np.testing.assert_allclose(W, W0, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(b, b0, rtol=1e-12, atol=1e-15)
    assert out["saturated"] == pytest.approx(_saturated_by_hand(model, digits["X_train"]), abs=1e-12)
    # without the drop the last 20 epochs differ
    plain = digits_trainer_state(64, 2.0, 60, 0.1, data=digits)
    np.testing.assert_allclose(plain["history"]["loss"][:40], out["history"]["loss"][:40], rtol=1e-12, atol=0)
    assert not np.allclose(plain["history"]["loss"][40:], out["history"]["loss"][40:], rtol=1e-3)


def test_the_drop_checkbox_retrains_with_the_drop_and_says_so(digits):
    explorer = DigitsTrainer(hidden=8, lr=2.0, epochs=6, smoothing=0.0)
    assert explorer.values()["progress"] == "6 of 6"
    assert not any(line.get_visible() for line in explorer.l_drop)
    explorer.control["drop"].value = True
    assert explorer.wait(timeout=120)
    assert explorer.state()["drop"] is True
    assert explorer.values()["progress"] == "6 of 6 (last 2 at rate 0.5)"
    assert all(line.get_visible() and line.get_xdata()[0] == 4.5 for line in explorer.l_drop)  # between epochs 4 and 5
    expected = digits_trainer_state(hidden=8, lr=2.0, epochs=6, smoothing=0.0, drop=True, data=digits)
    np.testing.assert_allclose(explorer.l_loss.get_data()[1], expected["history"]["label_loss"], rtol=1e-10)
    np.testing.assert_allclose(explorer.l_sat.get_data()[1], expected["history"]["saturated"], rtol=0, atol=1e-12)
    assert explorer.values()["saturated"] == f"{expected['saturated']:.2f}"
    explorer.control["epochs"].value = 1  # one epoch: nothing to drop
    assert explorer.wait(timeout=120)
    assert explorer.values()["progress"] == "1 of 1"
    assert not any(line.get_visible() for line in explorer.l_drop)
    with pytest.raises(ValueError, match="drop"):
        DigitsTrainer(hidden=8, lr=2.0, epochs=2, drop=1)  # a checkbox holds True or False


def test_the_batch_size_control_changes_what_is_trained(digits):
    explorer = DigitsTrainer(hidden=8, lr=1.0, epochs=3, smoothing=0.1)
    control = explorer.control["batch_size"]
    assert list(control._options_values) == [4, 8, 16, 32, 64] and explorer.state()["batch_size"] == 16
    control.value = 64
    assert explorer.wait(timeout=120)
    assert explorer.state()["batch_size"] == 64
    model = MLP([64, 8, 10], seed=0)
    hist = model.fit(digits["X_train"], one_hot(digits["y_train"], 10, smoothing=0.1), epochs=3, batch_size=64,
                     lr=1.0, progress=False, X_val=digits["X_val"], y_val=digits["y_val"])
    _, last = explorer.last
    for key in hist:
        np.testing.assert_allclose(last["history"][key], hist[key], rtol=1e-12, atol=0)
    np.testing.assert_allclose(explorer.l_vloss.get_data()[1], hist["val_loss"], rtol=1e-12)
    at_16 = digits_trainer_state(hidden=8, lr=1.0, epochs=3, smoothing=0.1, data=digits)
    assert not np.allclose(last["history"]["loss"], at_16["history"]["loss"], rtol=1e-3)  # the batch size mattered
    with pytest.raises(ValueError, match="batch_size"):
        DigitsTrainer(hidden=8, lr=1.0, epochs=3, batch_size=10)  # not among the slider's sizes


def test_the_defaults_train_as_before(digits):
    """With the drop off and batches of 16 the explorer trains one fit at a constant rate, as it always has:
    the explorer's run, digits_trainer_state's with the defaults and a single MLP.fit agree exactly."""
    explorer = DigitsTrainer(hidden=16, lr=2.0, epochs=5, smoothing=0.1)
    assert explorer.state() == {"hidden": 16, "lr": 2.0, "epochs": 5, "drop": False, "smoothing": 0.1,
                                "batch_size": 16, "seed": 0, "train_size": 1077, "weight_decay": 0.0}
    _, shown = explorer.last
    default = digits_trainer_state(16, 2.0, 5, 0.1, data=digits)
    explicit = digits_trainer_state(16, 2.0, 5, 0.1, batch_size=16, seed=0, data=digits, drop=False)
    model = MLP([64, 16, 10], seed=0)
    target = one_hot(digits["y_train"], 10, smoothing=0.1)
    hist = model.fit(digits["X_train"], target, epochs=5, batch_size=16, lr=2.0, progress=False,
                     X_val=digits["X_val"], y_val=digits["y_val"])
    for key in hist:
        assert shown["history"][key] == default["history"][key] == explicit["history"][key]  # bit for bit
        np.testing.assert_allclose(default["history"][key], hist[key], rtol=1e-12, atol=0)
    for key in ("label_loss", "label_accuracy", "saturated"):
        assert shown["history"][key] == default["history"][key] == explicit["history"][key]
    for (W, _), (W0, _) in zip(default["model"].params, model.params):
        np.testing.assert_allclose(W, W0, rtol=1e-12, atol=1e-15)
    assert explorer.values()["progress"] == "5 of 5"


def test_the_saturated_panel_grows_with_the_other_curves(digits):
    explorer = DigitsTrainer(hidden=8, lr=1.0, epochs=2)
    explorer.paint_interval = 0.0  # draw after every epoch
    seen = []
    explorer.image.observe(lambda _: seen.append((len(explorer.l_loss.get_xdata()), len(explorer.l_sat.get_xdata()))),
                           names="value")
    explorer.control["epochs"].value = 8
    assert explorer.wait(timeout=120)
    assert all(a == b for a, b in seen) and seen[0] == (0, 0) and seen[-1] == (8, 8)
    assert explorer.l_sat in explorer.blit.artists and explorer.l_sat.axes.get_ylim()[0] <= 0 <= 1 <= \
        explorer.l_sat.axes.get_ylim()[1]


def test_the_new_arguments_at_their_defaults_change_nothing(digits):
    """All 1077 training images, given as None or as their number, and no weight decay: the numbers of a run
    without these arguments, bit for bit."""
    default = digits_trainer_state(16, 2.0, 4, 0.1, data=digits)
    for explicit in (digits_trainer_state(16, 2.0, 4, 0.1, data=digits, train_size=None, weight_decay=0.0),
                     digits_trainer_state(16, 2.0, 4, 0.1, data=digits, train_size=1077, weight_decay=0)):
        assert explicit["history"] == default["history"]
        for (W, b), (W0, b0) in zip(explicit["model"].params, default["model"].params):
            assert np.array_equal(W, W0) and np.array_equal(b, b0)


def test_training_rows_are_section_8_6s_few_then_a_fixed_order(digits):
    n = len(digits["y_train"])
    few = np.random.default_rng(0).choice(n, size=100, replace=False)  # section 8.6's 100 images
    assert np.array_equal(training_rows(100, n), few)  # the same images, in the same order
    assert not np.array_equal(np.random.default_rng(0).permutation(n)[:100], few)  # why few comes first
    assert np.array_equal(training_rows(n, n), np.arange(n))  # all of them: the training set as it is
    order = training_rows(n - 1, n)
    assert len(set(order.tolist())) == n - 1 and order.min() >= 0 and order.max() < n
    for small, large in ((100, 101), (101, 500), (500, n - 1)):  # each training set holds every smaller one
        assert np.array_equal(training_rows(large, n)[:small], training_rows(small, n))
    rest = np.random.default_rng(0).permutation(n)
    assert np.array_equal(order[100:], rest[~np.isin(rest, few)][: n - 101])  # then the permutation's order


def test_a_small_training_set_with_weight_decay_is_a_loop_of_fit_on_those_rows(digits):
    out = digits_trainer_state(hidden=16, lr=2.0, epochs=4, smoothing=0.0, train_size=100, weight_decay=1e-3,
                               data=digits)
    few = np.random.default_rng(0).choice(len(digits["y_train"]), size=100, replace=False)
    X, y = digits["X_train"][few], digits["y_train"][few]
    model = MLP([64, 16, 10], seed=0)
    hist, by_hand = {}, {"label_loss": [], "saturated": []}
    for _ in range(4):
        h = model.fit(X, y, epochs=1, batch_size=16, lr=2.0, progress=False, X_val=digits["X_val"],
                      y_val=digits["y_val"], weight_decay=1e-3)
        for key in h:
            hist.setdefault(key, []).extend(h[key])
        by_hand["label_loss"].append(model.evaluate(X, y)[0])  # the curves and the share on the 100 images
        by_hand["saturated"].append(_saturated_by_hand(model, X))
    for key in hist:
        np.testing.assert_allclose(out["history"][key], hist[key], rtol=1e-12, atol=0)
    np.testing.assert_allclose(out["history"]["label_loss"], by_hand["label_loss"], rtol=1e-12)
    np.testing.assert_allclose(out["history"]["saturated"], by_hand["saturated"], rtol=0, atol=1e-12)
    for (W, b), (W0, b0) in zip(out["model"].params, model.params):
        np.testing.assert_allclose(W, W0, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(b, b0, rtol=1e-12, atol=1e-15)
    # each of the two arguments changes the run
    no_decay = digits_trainer_state(hidden=16, lr=2.0, epochs=4, smoothing=0.0, train_size=100, data=digits)
    all_images = digits_trainer_state(hidden=16, lr=2.0, epochs=4, smoothing=0.0, weight_decay=1e-3, data=digits)
    for other in (no_decay, all_images):
        assert not np.allclose(other["history"]["val_loss"], out["history"]["val_loss"], rtol=1e-4)


def test_early_stopping_keeps_the_epoch_of_lowest_validation_loss_and_the_explorer_circles_it(digits):
    """On 100 images the validation loss passes its lowest before the last epoch (here at epoch 17 of 20):
    the state, the two circles and the readout all name that epoch."""
    kwargs = dict(hidden=8, lr=2.0, epochs=20, smoothing=0.0, batch_size=4, train_size=100)
    out = digits_trainer_state(**kwargs, data=digits)
    val_loss = out["history"]["val_loss"]
    stop = int(np.argmin(val_loss)) + 1
    assert out["stop_epoch"] == early_stopping_epoch(out["history"]) == stop < 20  # not the last epoch
    assert out["stop_val_accuracy"] == out["history"]["val_accuracy"][stop - 1]
    explorer = DigitsTrainer(**kwargs)
    loss_circle, accuracy_circle = explorer.m_stop
    assert list(loss_circle.get_xdata()) == [stop] and list(loss_circle.get_ydata()) == [val_loss[stop - 1]]
    assert list(accuracy_circle.get_xdata()) == [stop]
    assert list(accuracy_circle.get_ydata()) == [out["history"]["val_accuracy"][stop - 1]]
    assert loss_circle.axes is explorer.l_vloss.axes and loss_circle in explorer.blit.artists
    n_val = len(digits["y_val"])
    count = round(out["stop_val_accuracy"] * n_val)
    assert explorer.values()["early_stop"] == f"epoch {stop}: {count} of {n_val}, loss {val_loss[stop - 1]:.3g}"
    assert early_stopping_epoch({"val_loss": [0.5, 0.3, 0.3, 0.4]}) == 2  # the first of a tie


def test_the_new_controls_retrain_with_their_values(digits):
    explorer = DigitsTrainer(hidden=8, lr=2.0, epochs=3, smoothing=0.0)
    size, decay = explorer.control["train_size"], explorer.control["weight_decay"]
    assert (size.min, size.max, size.value) == (100, 1077, 1077)
    assert list(decay._options_values) == [0.0, 1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3] and decay.value == 0.0
    size.value = 300
    decay.value = 1e-3
    assert explorer.wait(timeout=120)
    assert explorer.state()["train_size"] == 300 and explorer.state()["weight_decay"] == 1e-3
    expected = digits_trainer_state(hidden=8, lr=2.0, epochs=3, smoothing=0.0, train_size=300, weight_decay=1e-3,
                                    data=digits)
    np.testing.assert_allclose(explorer.l_loss.get_data()[1], expected["history"]["label_loss"], rtol=1e-12)
    np.testing.assert_allclose(explorer.l_vloss.get_data()[1], expected["history"]["val_loss"], rtol=1e-12)


def test_bad_training_set_sizes_and_weight_decays_are_refused(digits):
    for bad in (0, 99.0, 1078, "300", True):
        with pytest.raises(ValueError, match="train_size"):
            digits_trainer_state(hidden=8, lr=1.0, epochs=1, smoothing=0.0, train_size=bad, data=digits)
    for bad in (-1e-4, float("nan"), "1e-4"):
        with pytest.raises(ValueError, match="weight_decay"):
            digits_trainer_state(hidden=8, lr=1.0, epochs=1, smoothing=0.0, weight_decay=bad, data=digits)
    with pytest.raises(ValueError, match="train_size"):
        DigitsTrainer(hidden=8, lr=1.0, epochs=1, train_size=50)  # the slider starts at section 8.6's 100
    with pytest.raises(ValueError, match="weight_decay"):
        DigitsTrainer(hidden=8, lr=1.0, epochs=1, weight_decay=2e-4)  # between two of the slider's lambdas


def test_every_preset_is_a_distinct_state_the_controls_can_show():
    assert len({tuple(sorted(p.items())) for p in PRESETS.values()}) == len(PRESETS)
    for name, preset in PRESETS.items():
        explorer = DigitsTrainer(**preset)  # refuses a value a control cannot show
        assert explorer.state() == preset
        assert explorer.preset.value == name == preset_of(explorer.state())
    assert preset_of(dict(PRESETS["the chosen run"], seed=1)) == OWN


def test_picking_a_preset_sets_every_control_and_retrains_once(digits):
    explorer = DigitsTrainer(hidden=8, lr=1.0, epochs=3, smoothing=0.2, batch_size=32, seed=5, train_size=500)
    assert explorer.preset.value == OWN
    runs = []
    steps = explorer._steps
    explorer._steps = lambda state: (runs.append(state), steps(state))[1]
    explorer.preset.value = "overfit 100 images"
    assert explorer.wait(timeout=300)
    assert runs == [PRESETS["overfit 100 images"]]  # one run, with every control set
    assert explorer.state() == PRESETS["overfit 100 images"]
    expected = digits_trainer_state(**PRESETS["overfit 100 images"], data=digits)
    np.testing.assert_allclose(explorer.last[1]["history"]["val_loss"], expected["history"]["val_loss"], rtol=1e-12)
    explorer.preset.value = OWN  # choosing "your own settings" changes nothing
    assert explorer.state() == PRESETS["overfit 100 images"] and len(runs) == 1


def test_the_menu_follows_the_controls(digits):
    explorer = DigitsTrainer(**PRESETS["rate 8, one epoch"])
    explorer.control["seed"].value = 3
    assert explorer.preset.value == OWN
    explorer.control["seed"].value = 0
    assert explorer.preset.value == "rate 8, one epoch"
    explorer.control["epochs"].value = 60  # now another preset's settings
    assert explorer.preset.value == "rate 8, 60 epochs"
    assert explorer.wait(timeout=300)
