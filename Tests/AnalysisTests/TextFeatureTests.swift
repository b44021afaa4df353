// Tokens, TF-IDF and keywords against scikit-learn's values for the same texts, computed once
// by make_reference.py (scikit-learn 1.9.1) and written here.
#if canImport(Glibc)
import Glibc
#endif
import Analysis
import Records
import Testing

@Suite struct TextFeatureTests {
    static let corpus = [
        "red vintage car; street, city; photo; dusk; red, grey; STOP",
        "black dog, green grass; park; photo; daylight; green, black",
        "white dog, red ball; park, garden; illustration; soft light; white, red",
        "grey car, wet road; street; photo; night; grey, yellow; TAXI",
        "Café_au_lait, naïve 3D render; studio; 3d render; soft light; beige",
    ]

    @Test func termsAreScikitLearnsDefaultAnalyzer() {
        #expect(Tokenizer.terms(Self.corpus[0]) == ["red", "vintage", "car", "street", "city", "photo", "dusk", "red", "grey", "stop"])
        #expect(Tokenizer.terms(Self.corpus[4]) == ["café_au_lait", "naïve", "3d", "render", "studio", "3d", "render", "soft", "light", "beige"])
        // One-letter tokens and stop words are left out; punctuation separates.
        #expect(Tokenizer.terms("A cat and a dog-house, x y; THE END") == ["cat", "dog", "house", "end"])
    }

    @Test func tfidfMatchesScikitLearn() {
        let documents = Self.corpus.map(Tokenizer.terms)
        let model = TFIDF(documents: documents)
        #expect(model.vocabulary.count == 32)
        #expect(model.vocabulary.prefix(5) == ["3d", "ball", "beige", "black", "café_au_lait"])
        let idf = Dictionary(uniqueKeysWithValues: zip(model.vocabulary, model.idf))
        #expect(abs(idf["photo"]! - 1.405465) < 1e-6)
        #expect(abs(idf["car"]! - 1.693147) < 1e-6)
        #expect(abs(idf["dusk"]! - 2.098612) < 1e-6)
        let row = model.row(documents[1])
        let expected: [Int32: Float] = [19: 0.195372, 3: 0.583451, 8: 0.235362, 12: 0.583451, 11: 0.291726, 18: 0.235362, 7: 0.291726]
        #expect(Set(row.indices) == Set(expected.keys))
        for (i, value) in zip(row.indices, row.values) { #expect(abs(value - expected[i]!) < 1e-5) }
        let top = model.topTerms(rows: [model.row(documents[1]), model.row(documents[2])], count: 4)
        // "dog" and "park" tie at 0.233139 (scikit-learn listed "park"; ties here are alphabetical).
        #expect(top.map(\.term) == ["black", "green", "white", "dog"])
        for (got, want) in zip(top.map(\.score), [0.291726, 0.291726, 0.286213, 0.233139]) { #expect(abs(got - want) < 1e-5) }
    }

    @Test func maxFeaturesKeepsTheMostFrequentTermsWithSublinearTF() {
        let model = TFIDF(documents: Self.corpus.map(Tokenizer.terms), maxFeatures: 3, sublinearTF: true)
        #expect(model.vocabulary == ["grey", "photo", "red"])
        for (got, want) in zip(model.idf, [1.693147, 1.405465, 1.693147]) { #expect(abs(got - want) < 1e-6) }
        // "red red photo": tf 2 → 1 + ln 2.
        let row = model.row(["red", "red", "photo", "dog"])
        let a = (1 + log(2.0)) * 1.693147, b = 1.405465
        #expect(row.indices == [1, 2])
        #expect(abs(Double(row.values[1]) - a / (a * a + b * b).squareRoot()) < 1e-5)
    }

    @Test func compactTextHoldsTheDescribedThingsWithoutLabels() {
        let description: JSONValue = [
            "summary": "A red car at dusk",
            "objects": [["name": "car", "attributes": ["red", "vintage"]], ["name": "lamp post", "attributes": []]],
            "scene": ["indoor_outdoor": "outdoor", "environment": ["street", "unknown"]],
            "style": ["genre": "photo", "lighting": "dusk", "colors": ["red", "grey"]],
            "camera": ["shot": "wide"],
            "text": ["STOP"],
        ]
        #expect(CompactText.text(from: description) == "red vintage car, lamp post; street; photo; dusk; red, grey; STOP")
        #expect(CompactText.text(from: "already a text") == "already a text")
        #expect(CompactText.text(from: .null) == "")
    }

    @Test func hashedVectorsAreUnitLengthStableAndNearForSimilarTexts() {
        func vector(_ text: String) -> [Float] { HashedTermVector.vector(terms: Tokenizer.terms(text), dimensions: 256) }
        func cosine(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        let car = vector("red vintage car on a street at dusk")
        #expect(abs(cosine(car, car) - 1) < 1e-5)
        #expect(car == vector("red vintage car on a street at dusk"))
        let similar = cosine(car, vector("red car on a wet street"))
        let unrelated = cosine(car, vector("black dog on green grass in a park"))
        #expect(similar > 0.4)
        #expect(similar > unrelated + 0.3)
    }

    @Test func idfWeightingLowersDimensionsEveryRowShares() {
        var rows: [Float] = [1, 1, 0, 1, 0, 1]  // two rows of three: dimension 0 in both
        HashedTermVector.applyIDF(&rows, dimensions: 3)
        #expect(rows[0] < rows[1])
        #expect(abs(rows[0] * rows[0] + rows[1] * rows[1] - 1) < 1e-5)
        #expect(rows[2] == 0)
    }
}
