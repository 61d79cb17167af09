"""Reference values for classify/ unit tests, produced once with Debian's python3-sklearn
(sklearn 1.2.1, numpy 1.24) and committed as reference.json; the tests never need Python.

Run: /usr/bin/python3 streams/src/classify/reference/make_reference.py
"""
import json
import os

import numpy as np
import sklearn
from sklearn.covariance import ledoit_wolf
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.linear_model import LogisticRegression


def data(n, p, seed):
    # Deterministic, platform-independent inputs (no RNG): correlated sinusoid mixtures.
    t = np.arange(n)[:, None]
    f = np.arange(1, p + 1)[None, :]
    x = np.sin(0.37 * t * f + f) + 0.5 * np.cos(0.11 * t * (f + seed)) + 0.1 * f
    x[:, 1:] += 0.6 * x[:, :-1]
    return x


out = {"sklearn": sklearn.__version__, "numpy": np.__version__, "ledoitWolf": [], "lda": [], "logreg": []}
for n, p, seed in [(40, 6, 1), (10, 12, 2), (320, 8, 3)]:
    X = data(n, p, seed)
    cov, s = ledoit_wolf(X)
    out["ledoitWolf"].append({"X": X.tolist(), "covariance": cov.tolist(), "shrinkage": float(s)})

for n, p, k, seed in [(30, 5, 2, 4), (45, 4, 3, 5)]:
    X = data(n, p, seed)
    y = np.arange(n) % k
    X[:, 0] += 0.8 * y
    X[:, 1] -= 0.5 * (y == 1)
    lda = LinearDiscriminantAnalysis(solver="lsqr", shrinkage="auto").fit(X, y)
    out["lda"].append({"X": X.tolist(), "y": y.tolist(), "nClasses": k, "coef": lda.coef_.tolist(),
                       "intercept": lda.intercept_.tolist(), "proba": lda.predict_proba(X).tolist()})
    lr = LogisticRegression(C=1.0, tol=1e-12, max_iter=100000).fit(X, y)
    out["logreg"].append({"X": X.tolist(), "y": y.tolist(), "nClasses": k, "coef": lr.coef_.tolist(),
                          "intercept": lr.intercept_.tolist(), "proba": lr.predict_proba(X).tolist()})

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.json"), "w") as fh:
    json.dump(out, fh)
print("ok", sklearn.__version__)
