#!/usr/bin/env python3
"""Reference values for streams/src/filters and streams/src/features tests.

Run with any python3 that has numpy+scipy (tests never run python):
    python3 streams/src/filters/reference/make_reference.py
Writes reference.json beside this script.
"""
import json
import os
import sys

import numpy as np
import scipy
import scipy.signal as ss

N = 1000


def test_signal(fs):
    """Deterministic test signal: DC offset, in-band/out-of-band tones, 50 Hz hum, seeded noise."""
    t = np.arange(N) / fs
    rng = np.random.default_rng(20240101)
    x = (5.0
         + np.sin(2 * np.pi * 10 * t)
         + 0.5 * np.sin(2 * np.pi * 50 * t + 0.2)
         + 0.3 * np.sin(2 * np.pi * 3 * t + 0.3)
         + 0.2 * np.sin(2 * np.pi * 0.3 * t)
         + 0.1 * rng.standard_normal(N))
    return x


def cutoffs(btype):
    return {'lowpass': 40.0, 'highpass': 0.5, 'bandpass': [8.0, 30.0], 'bandstop': [48.0, 52.0]}[btype]


designs = []
for fs in (160.0, 250.0, 500.0, 1000.0):
    for order in (2, 4, 6, 8):
        for btype in ('lowpass', 'highpass', 'bandpass', 'bandstop'):
            designs.append(dict(order=order, btype=btype, cutoffHz=cutoffs(btype), fsHz=fs))
# Odd orders and other corners exercise the zpk2sos pairing special cases.
for order in (1, 3, 5, 7):
    for btype in ('lowpass', 'highpass', 'bandpass', 'bandstop'):
        designs.append(dict(order=order, btype=btype, cutoffHz=cutoffs(btype), fsHz=250.0))
designs.append(dict(order=4, btype='bandpass', cutoffHz=[1.0, 45.0], fsHz=160.0))
designs.append(dict(order=5, btype='bandpass', cutoffHz=[0.5, 70.0], fsHz=160.0))
designs.append(dict(order=4, btype='lowpass', cutoffHz=79.0, fsHz=160.0))
for d in designs:
    d['sos'] = ss.butter(d['order'], d['cutoffHz'], btype=d['btype'], fs=d['fsHz'], output='sos').tolist()

notches = []
for fs in (160.0, 250.0, 500.0, 1000.0):
    for f0 in (50.0, 60.0):
        for q in (30.0, 10.0):
            b, a = ss.iirnotch(f0, q, fs=fs)
            notches.append(dict(f0Hz=f0, Q=q, fsHz=fs, b=b.tolist(), a=a.tolist()))

# Filtering outputs on the deterministic signal for a few representative filters.
runs = []
for spec in (
    dict(order=4, btype='bandpass', cutoffHz=[8.0, 30.0], fsHz=160.0),
    dict(order=8, btype='lowpass', cutoffHz=40.0, fsHz=250.0),
    dict(order=3, btype='highpass', cutoffHz=0.5, fsHz=250.0),
    dict(order=6, btype='bandstop', cutoffHz=[48.0, 52.0], fsHz=500.0),
    dict(order=5, btype='bandpass', cutoffHz=[0.5, 70.0], fsHz=160.0),
    dict(notch=True, f0Hz=50.0, Q=30.0, fsHz=250.0),
):
    fs = spec['fsHz']
    if spec.get('notch'):
        b, a = ss.iirnotch(spec['f0Hz'], spec['Q'], fs=fs)
        sos = np.concatenate([b, a])[None, :]
    else:
        sos = ss.butter(spec['order'], spec['cutoffHz'], btype=spec['btype'], fs=fs, output='sos')
    x = test_signal(fs)
    zi = ss.sosfilt_zi(sos)
    run = dict(spec)
    run['sos'] = sos.tolist()
    run['x'] = x.tolist()
    run['sosfilt'] = ss.sosfilt(sos, x).tolist()
    run['zi'] = zi.tolist()
    run['sosfiltSteady'] = ss.sosfilt(sos, x, zi=zi * x[0])[0].tolist()
    run['sosfiltfilt'] = ss.sosfiltfilt(sos, x).tolist()
    run['sosfiltfiltPad80'] = ss.sosfiltfilt(sos, x, padlen=80).tolist()
    run['sosfiltfiltPad0'] = ss.sosfiltfilt(sos, x, padlen=0).tolist()
    runs.append(run)

# Welch PSD (defaults: hann, nperseg=256, noverlap=nperseg//2, detrend='constant',
# one-sided, density) on the same deterministic signals.
welch = []
for fs, nperseg, noverlap, n in ((160.0, 256, None, 1000), (160.0, 160, 80, 1000), (250.0, 128, 100, 999),
                                 (500.0, 255, None, 1000), (160.0, 512, None, 300)):
    x = test_signal(fs)[:n]
    kw = dict(fs=fs, nperseg=nperseg)
    if noverlap is not None:
        kw['noverlap'] = noverlap
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # nperseg > len(x) warns; we test that clamp too
        f, p = ss.welch(x, **kw)
    welch.append(dict(fsHz=fs, nperseg=nperseg, noverlap=noverlap, n=n, freqs=f.tolist(), psd=p.tolist()))

out = dict(
    generator='streams/src/filters/reference/make_reference.py',
    python=sys.version.split()[0], numpy=np.__version__, scipy=scipy.__version__,
    designs=designs, notches=notches, runs=runs, welch=welch,
)
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'reference.json')
with open(path, 'w') as fh:
    json.dump(out, fh, separators=(',', ':'))
print(f'wrote {path}: {len(designs)} designs, {len(notches)} notches, {len(runs)} runs, {len(welch)} welch')
