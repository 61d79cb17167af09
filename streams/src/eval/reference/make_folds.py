"""Fold assignments of sklearn 1.2.1 StratifiedKFold(5, shuffle=True, random_state=42), for kfold.test.ts.
Run once with Debian python3-sklearn: /usr/bin/python3 streams/src/eval/reference/make_folds.py > streams/src/eval/reference/sklearn_folds.json"""
import numpy as np, json
from sklearn.model_selection import StratifiedKFold
cases=[]
for y in [["left","right","left","right","right","left","left","right","left","right"]*4+["left","right","right","left","left"],
          list("bbaabababbbaaab"*3), [0,1,2]*10]:
    folds=[list(map(int,te)) for tr,te in StratifiedKFold(5,shuffle=True,random_state=42).split(np.zeros(len(y)),y)]
    cases.append({"labels":y,"test":folds})
print(json.dumps(cases))
