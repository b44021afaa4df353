// Tokenizer: scikit-learn's default text analyzer (CountVectorizer/TfidfVectorizer with
// lowercase=True, token_pattern r"(?u)\b\w\w+\b", stop_words="english"), so keyword counts and
// TF-IDF terms match the reference's for the same text.

public enum Tokenizer {
    /// The terms of `text` in order: lower-cased runs of two or more word characters (letters,
    /// digits, underscore, as Python's `\w`), English stop words left out.
    public static func terms(_ text: String) -> [String] {
        var terms: [String] = []
        var current = String.UnicodeScalarView()
        var length = 0
        func finish() {
            if length >= 2 {
                let term = String(current)
                if !StopWords.english.contains(term) { terms.append(term) }
            }
            current.removeAll(keepingCapacity: true)
            length = 0
        }
        for scalar in text.lowercased().unicodeScalars {
            if isWordCharacter(scalar) {
                current.append(scalar)
                length += 1
            } else {
                finish()
            }
        }
        finish()
        return terms
    }

    /// Python's `\w` for str patterns: Unicode letters and digits (alphanumeric) and underscore.
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let v = scalar.value
            return (v >= 0x30 && v <= 0x39) || (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || v == 0x5F
        }
        let properties = scalar.properties
        if properties.isAlphabetic { return true }
        switch properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark: return true
        default: return false
        }
    }
}
