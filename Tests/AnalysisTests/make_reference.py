"""Prints the scikit-learn values that TFIDFTests and TokenizerTests compare with (run once with
scikit-learn installed: `.venv/bin/python Tests/AnalysisTests/make_reference.py`; the output was
written into those tests by hand)."""
import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

corpus = [
    "red vintage car; street, city; photo; dusk; red, grey; STOP",
    "black dog, green grass; park; photo; daylight; green, black",
    "white dog, red ball; park, garden; illustration; soft light; white, red",
    "grey car, wet road; street; photo; night; grey, yellow; TAXI",
    "Café_au_lait, naïve 3D render; studio; 3d render; soft light; beige",
]
analyzer = CountVectorizer(stop_words="english").build_analyzer()
for text in corpus:
    print("terms", analyzer(text))
for max_features, sublinear in [(None, False), (3, True)]:
    v = TfidfVectorizer(stop_words="english", max_features=max_features, sublinear_tf=sublinear)
    m = v.fit_transform(corpus)
    print("vocabulary", max_features, sublinear, list(v.get_feature_names_out()))
    print("idf", [round(x, 6) for x in v.idf_])
    print("row1", [(int(i), round(float(x), 6)) for i, x in zip(m[1].indices, m[1].data)])
    mean = np.asarray(m[[1, 2]].mean(axis=0)).ravel()
    top = mean.argsort()[::-1][:4]
    print("top(1,2)", [(v.get_feature_names_out()[i], round(float(mean[i]), 6)) for i in top])
