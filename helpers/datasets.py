"""Datasets: the sequences the chapters generate in code (nothing is downloaded)."""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from .checks import array_of_shape, positive_int

__all__ = ["memory_sequences", "memory_mixing", "one_hot", "sliding_windows", "reversal_pairs", "reversal_data", "causal_accuracy_ceiling", "Seq2SeqWindows", "ar1_windows", "ar1_forecast_mse", "latch_series", "noisy_sine"]


_MIXING_SEED = 20170606  # fixes the hidden mixing of memory_sequences, shared by every call (train and test)


def memory_sequences(n: int, min_steps: int = 10, max_steps: int = 40, features: int = 128,
                     decays=(0.0, 0.5, 0.9), noise: float = 0.5, seed: int = 0):
    """Variable-length regression sequences whose targets depend only on *past* inputs.

    Each step carries one hidden signal z_t[k] ~ N(0, 1) per output k, written into a vector of
    ``features`` numbers by a fixed random mixing (the same for every call, so train and test
    sets share it) plus ``noise`` x N(0, 1) per feature: x_t = z_t @ P + noise * e_t. The
    target is a decaying memory of the *previous* signals,
    y_t[k] = a_k y_{t-1}[k] + sqrt(1 - a_k**2) z_{t-1}[k], with y_0 = 0 and a_k in ``decays``
    (a_k = 0 is a plain one-step delay). Every target is unit-variance once under way and
    independent of the current input x_t, so a model without memory cannot beat predicting 0
    (MSE about 1), while a model with memory can approach 0.

    n: number of sequences; lengths are drawn uniformly from [min_steps, max_steps].
    Returns (xs, ys): lists of n arrays, xs[i] of shape (steps_i, features) and ys[i] of shape
    (steps_i, len(decays)), float32.

    >>> xs, ys = memory_sequences(3, 5, 8, features=4, seed=0)
    >>> [x.shape[1] for x in xs], [y.shape[1] for y in ys], all(len(x) == len(y) for x, y in zip(xs, ys))
    ([4, 4, 4], [3, 3, 3], True)
    """
    for name, value in (("n", n), ("min_steps", min_steps), ("max_steps", max_steps), ("features", features)):
        positive_int("memory_sequences", name, value)
    if min_steps < 2 or max_steps < min_steps:
        raise ValueError(
            f"memory_sequences: need 2 <= min_steps <= max_steps, got min_steps={min_steps}, max_steps={max_steps}; "
            "a target needs at least one past step"
        )
    a = np.asarray(decays, dtype=np.float64)
    if a.ndim != 1 or a.size < 1 or np.any(a < 0) or np.any(a >= 1):
        raise ValueError(f"memory_sequences: decays must be a non-empty list of numbers in [0, 1), got {decays!r}")
    if features < a.size:
        raise ValueError(f"memory_sequences: features ({features}) must be >= the number of outputs ({a.size})")
    if not (isinstance(noise, (int, float)) and noise >= 0):
        raise ValueError(f"memory_sequences: noise must be a number >= 0, got {noise!r}")
    mixing = memory_mixing(a.size, features)
    rng = np.random.default_rng(seed)
    b = np.sqrt(1.0 - a**2)
    xs, ys = [], []
    for steps in rng.integers(min_steps, max_steps + 1, size=n):
        z = rng.standard_normal((steps, a.size))
        x = z @ mixing + noise * rng.standard_normal((steps, features))
        y = np.zeros((steps, a.size))
        for t in range(1, steps):
            y[t] = a * y[t - 1] + b * z[t - 1]
        xs.append(x.astype("float32"))
        ys.append(y.astype("float32"))
    return xs, ys


def memory_mixing(n_outputs: int = 3, features: int = 128) -> np.ndarray:
    """The fixed mixing P of :func:`memory_sequences`: x_t = z_t @ P + noise * e_t.

    Every call of ``memory_sequences`` with ``len(decays) == n_outputs`` and the same ``features``
    uses this matrix, so a reader can compute what the best possible predictor knows (for
    example the posterior covariance of z_t given x_t). Returns shape (n_outputs, features).

    >>> P = memory_mixing(3, 128)
    >>> P.shape, bool(np.allclose(memory_mixing(3, 128), P))
    ((3, 128), True)
    """
    positive_int("memory_mixing", "n_outputs", n_outputs)
    positive_int("memory_mixing", "features", features)
    if features < n_outputs:
        raise ValueError(f"memory_mixing: features ({features}) must be >= n_outputs ({n_outputs})")
    return np.random.default_rng(_MIXING_SEED).standard_normal((n_outputs, features)) / np.sqrt(n_outputs)


def one_hot(symbols, n_symbols: int) -> np.ndarray:
    """One-hot encode an integer array: shape (...,) -> (..., n_symbols), float32.

    symbols: ints in [0, n_symbols). An out-of-range symbol is an error, and n_symbols has
    no default (the asker's encoder defaulted to 100 columns; their code passed 10).

    >>> one_hot([2, 0], 3)
    array([[0., 0., 1.],
           [1., 0., 0.]], dtype=float32)
    """
    n_symbols = positive_int("one_hot", "n_symbols", n_symbols)
    s = np.asarray(symbols)
    if s.size and not np.issubdtype(s.dtype, np.integer):
        raise ValueError(f"one_hot: symbols must be integers, got dtype {s.dtype}; cast with .astype(int)")
    if s.size and (s.min() < 0 or s.max() >= n_symbols):
        raise ValueError(
            f"one_hot: symbols must lie in [0, {n_symbols}), got values in [{s.min()}, {s.max()}]; "
            f"use n_symbols={int(s.max()) + 1} or fewer distinct symbols"
        )
    return np.eye(n_symbols, dtype="float32")[s.astype(int)]


def sliding_windows(series, length: int) -> np.ndarray:
    """All windows ``series[i:i+length]`` of a 1-D series, as rows: (R,) -> (R - length + 1, length).

    This is the asker's layout: R symbols give R - L + 1 overlapping windows.

    >>> sliding_windows(np.arange(6), 4)
    array([[0, 1, 2, 3],
           [1, 2, 3, 4],
           [2, 3, 4, 5]])
    """
    length = positive_int("sliding_windows", "length", length)
    s = array_of_shape("sliding_windows", "series", series, ("R",), "flatten it or pass one series")
    if len(s) < length:
        raise ValueError(
            f"sliding_windows: a series of {len(s)} symbols holds no window of length {length}; "
            "use a longer series or a shorter length"
        )
    return np.lib.stride_tricks.sliding_window_view(s, length).copy()


def reversal_pairs(windows, n_symbols: int) -> tuple[np.ndarray, np.ndarray]:
    """Inputs and targets of the reversal task: x = one_hot(window), y = one_hot(window reversed).

    windows: (samples, L) ints in [0, n_symbols). Returns x, y, both (samples, L, n_symbols) float32,
    with ``y[:, t] == x[:, L - 1 - t]``.

    >>> x, y = reversal_pairs([[0, 1, 2]], 3)
    >>> y.argmax(-1)
    array([[2, 1, 0]])
    """
    w = array_of_shape("reversal_pairs", "windows", windows, ("samples", "L"), "use sliding_windows(series, L)")
    x = one_hot(w, n_symbols)
    return x, x[:, ::-1].copy()


def reversal_data(n_samples: int, length: int, n_symbols: int, seed: int = 0, sliding: bool = True):
    """A reversal dataset of uniformly random symbols: x, y of shape (n_samples, length, n_symbols).

    sliding=True: the asker's layout, all sliding windows of one random series of
    n_samples + length - 1 symbols (neighbouring samples overlap). sliding=False: independent
    random windows (use these to estimate accuracies, since their errors are independent).

    >>> x, y = reversal_data(4, 3, 5, seed=0)
    >>> x.shape, bool((x[1:, :-1] == x[:-1, 1:]).all())
    ((4, 3, 5), True)
    """
    n_samples = positive_int("reversal_data", "n_samples", n_samples)
    length = positive_int("reversal_data", "length", length)
    n_symbols = positive_int("reversal_data", "n_symbols", n_symbols, minimum=2)
    rng = np.random.default_rng(seed)
    if sliding:
        windows = sliding_windows(rng.integers(0, n_symbols, n_samples + length - 1), length)
    else:
        windows = rng.integers(0, n_symbols, (n_samples, length))
    return reversal_pairs(windows, n_symbols)


def causal_accuracy_ceiling(length: int, n_symbols: int, lookahead: int = 0) -> np.ndarray:
    """Best achievable accuracy at each output position of the reversal task: shape (length,).

    A model that emits output t after reading inputs 0..t+lookahead (lookahead=0: a
    unidirectional, step-aligned LSTM) must output input L-1-t at position t. It can do so iff
    L-1-t <= t+lookahead; otherwise the target is a fresh uniform symbol it has not read, and
    no model beats chance, 1/n_symbols.

    >>> causal_accuracy_ceiling(5, 10)
    array([0.1, 0.1, 1. , 1. , 1. ])
    """
    length = positive_int("causal_accuracy_ceiling", "length", length)
    n_symbols = positive_int("causal_accuracy_ceiling", "n_symbols", n_symbols, minimum=2)
    lookahead = positive_int("causal_accuracy_ceiling", "lookahead", lookahead, minimum=0)
    t = np.arange(length)
    return np.where(length - 1 - t <= t + lookahead, 1.0, 1.0 / n_symbols)

Seq2SeqWindows = namedtuple("Seq2SeqWindows", ["encoder_input", "decoder_input", "target"])
Seq2SeqWindows.__doc__ = """Encoder input (n, tx, 1), teacher-forced decoder input (n, ty, 1), target (n, ty, 1)."""


def ar1_windows(n: int, tx: int, ty: int, phi: float = 0.9, sigma: float = 0.2, seed: int = 0, start: float = -1.0):
    """Independent windows of a stationary AR(1) series ``x[t+1] = phi * x[t] + N(0, sigma**2)``.

    Each window is tx + ty consecutive values whose first value is drawn from the stationary law
    N(0, sigma**2 / (1 - phi**2)). Returns ``Seq2SeqWindows(encoder_input, decoder_input, target)``:
    encoder_input (n, tx, 1) the past, target (n, ty, 1) the next ty values, decoder_input
    (n, ty, 1) the target shifted right by one with ``start`` first (teacher forcing). float32.

    >>> w = ar1_windows(3, tx=4, ty=2, seed=1)
    >>> w.encoder_input.shape, w.decoder_input.shape, w.target.shape
    ((3, 4, 1), (3, 2, 1), (3, 2, 1))
    >>> bool((w.decoder_input[:, 1] == w.target[:, 0]).all())
    True
    """
    for name, v in (("n", n), ("tx", tx), ("ty", ty)):
        positive_int("ar1_windows", name, v)
    if not -1.0 < phi < 1.0:
        raise ValueError(f"ar1_windows: |phi| must be < 1 for a stationary AR(1), got phi={phi}; pass e.g. phi=0.9")
    if not sigma > 0:
        raise ValueError(f"ar1_windows: sigma is the noise standard deviation and must be > 0, got {sigma}")
    rng = np.random.default_rng(seed)
    steps = tx + ty
    x = np.empty((n, steps))
    x[:, 0] = rng.normal(0.0, sigma / np.sqrt(1.0 - phi**2), n)
    noise = rng.normal(0.0, sigma, (n, steps))
    for t in range(1, steps):
        x[:, t] = phi * x[:, t - 1] + noise[:, t]
    x = x[..., None].astype("float32")
    target = x[:, tx:]
    decoder_input = np.concatenate([np.full((n, 1, 1), start, "float32"), target[:, :-1]], axis=1)
    return Seq2SeqWindows(x[:, :tx], decoder_input, target)


def ar1_forecast_mse(k, phi: float = 0.9, sigma: float = 0.2) -> np.ndarray:
    """The smallest possible mean squared error of a k-step-ahead forecast of a stationary AR(1).

    The best forecast of x[t+k] from x[t], x[t-1], ... is phi**k * x[t]; its error is
    sigma**2 * (1 - phi**(2k)) / (1 - phi**2). k: int or array of ints >= 1 -> same shape.

    >>> float(ar1_forecast_mse(1, phi=0.5, sigma=1.0))
    1.0
    >>> ar1_forecast_mse([1, 2], phi=0.5, sigma=1.0)
    array([1.  , 1.25])
    """
    k = np.asarray(k)
    if not np.issubdtype(k.dtype, np.integer) or np.any(k < 1):
        raise ValueError(f"ar1_forecast_mse: k must be integer horizons >= 1, got {k!r}; pass e.g. np.arange(1, 11)")
    if not -1.0 < phi < 1.0:
        raise ValueError(f"ar1_forecast_mse: |phi| must be < 1, got phi={phi}")
    return sigma**2 * (1.0 - phi ** (2 * k)) / (1.0 - phi**2)


def latch_series(length: int, pulse_rate: float = 1 / 40, seed: int = 0):
    """A series whose target needs memory of unbounded age: a flip-flop driven by rare pulses.

    The input is 0 except at random pulse times, where it is +1 or -1 (each with probability
    ``pulse_rate`` / 2 per step). The target at time t is the sign of the most recent pulse (0
    before the first one). The last pulse is on average ``1 / pulse_rate`` steps old, so a model
    that sees only a short window usually cannot know the target; a model that carries its state
    across windows can. Returns ``(x, y)``, each of shape (length,), float32.

    >>> x, y = latch_series(6, pulse_rate=0.5, seed=1); x.shape, y.shape
    ((6,), (6,))
    """
    length = positive_int("latch_series", "length", length)
    if not 0 < pulse_rate <= 1:
        raise ValueError(f"latch_series: pulse_rate must lie in (0, 1], got {pulse_rate!r}; pass e.g. pulse_rate=1/40")
    rng = np.random.default_rng(seed)
    u = rng.random(length)
    x = np.where(u < pulse_rate / 2, 1.0, np.where(u < pulse_rate, -1.0, 0.0)).astype("float32")
    pulse_at = np.where(x != 0, np.arange(length), -1)
    last = np.maximum.accumulate(pulse_at)
    y = np.where(last >= 0, x[np.maximum(last, 0)], 0.0).astype("float32")
    return x, y


def noisy_sine(n: int = 1000, dt: float = 0.01, noise: float = 0.1, seed: int = 1):
    """The sine-denoising data of chapter 5: ``x = sin(t) + noise``, target ``y = sin(t)``.

    t = 0, dt, 2 dt, ... (n points); noise is Gaussian with standard deviation ``noise``.
    Returns ``(x, y)``, each of shape (n,), float32.

    >>> x, y = noisy_sine(5, noise=0.0); bool(np.all(x == y))
    True
    """
    n = positive_int("noisy_sine", "n", n)
    t = np.arange(n) * dt
    y = np.sin(t)
    x = y + np.random.default_rng(seed).normal(0.0, noise, size=n)
    return x.astype("float32"), y.astype("float32")
