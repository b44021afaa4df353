// NameMatcherTests: name lists (CSV, header, quoting) and matching by name and stem.
import Records
import Testing
@testable import S3

@Suite struct NameMatcherTests {
    func object(_ key: String, size: Int = 1) -> S3Object {
        S3Object(key: key, size: size, etag: "e", lastModified: "t")
    }

    @Test func csvFieldsHandleQuotesAndBlanks() {
        #expect(NameList.csvFields(#""a, b.jpg",2"#) == ["a, b.jpg", "2"])
        #expect(NameList.csvFields(#" x.jpg , "say ""hi"".png""#) == ["x.jpg", #"say "hi".png"#])
        #expect(NameList.csvFields("plain.jpg") == ["plain.jpg"])
    }

    @Test func headerLineIsRecognisedAndPicksTheColumn() {
        let list = NameList()
        #expect(list.isHeader("label,filename"))
        #expect(!list.isHeader("cat,x.jpg"))
        #expect(list.name(fromLine: "cat,x.jpg") == "x.jpg")
        let plain = NameList()
        #expect(!plain.isHeader("dalle2_0002c2323d584fa48102d9501e7f72ce_gen.jpg"))
        #expect(plain.name(fromLine: "dalle2_0002c2323d584fa48102d9501e7f72ce_gen.jpg") == "dalle2_0002c2323d584fa48102d9501e7f72ce_gen.jpg")
    }

    /// A matcher over `names` and the objects of `keys`; each listed name's match, in list order.
    func matches(_ names: [String], _ keys: [String], ignoreCase: Bool = false, prefer: [String] = [],
                 hash: NameMatcher.Hash? = nil) throws -> [NameMatch?] {
        let matcher = if let hash {
            try NameMatcher(ignoreCase: ignoreCase, preferredExtensions: prefer, spoolDirectory: "/tmp", hash: hash)
        } else {
            try NameMatcher(ignoreCase: ignoreCase, preferredExtensions: prefer, spoolDirectory: "/tmp")
        }
        for name in names { try matcher.add(name, input: ["id": .string(String(IDAssigner.stem(name[...]))), "name": .string(name)]) }
        for key in keys { try matcher.consider(object(key)) }
        var found: [NameMatch?] = []
        try matcher.forEachMatch { _, _, match in found.append(match) }
        #expect(matcher.count == names.count)
        return found
    }

    @Test func exactNameBeatsStemAndOtherExtensionsAreAlternatives() throws {
        let found = try matches(["x.jpg", "y.jpg", "z.jpg"], ["p/x.png", "p/x.jpg", "p/y.png", "p/q/y.png", "p/X.jpg", "p/zz.jpg"])
        #expect(found[0]?.object.key == "p/x.jpg")
        #expect(found[0]?.alternatives.map(\.key) == ["p/x.png"])
        #expect(found[1]?.object.key == "p/q/y.png")
        #expect(found[1]?.alternatives.map(\.key) == ["p/y.png"])
        #expect(found[2] == nil)
    }

    @Test func preferredExtensionsSettleAmbiguity() throws {
        let found = try matches(["x.jpg"], ["x.jpg", "x.png", "x.webp"], prefer: ["webp", "png"])
        #expect(found[0]?.object.key == "x.webp")
        #expect(found[0]?.alternatives.map(\.key) == ["x.png", "x.jpg"])
    }

    @Test func ignoreCaseMatchesOtherCases() throws {
        #expect(try matches(["Photo.JPG"], ["dir/photo.png"])[0] == nil)
        #expect(try matches(["Photo.JPG"], ["dir/photo.png"], ignoreCase: true)[0]?.object.key == "dir/photo.png")
    }

    @Test func everyListedNameHasItsOwnPlaceAndNamesSharingAKeyBothMatchIt() throws {
        // Ids are unique per listed name, so two names (case variants, or a stem stored under
        // another extension) that find one object are two records, each with the object.
        let found = try matches(["UPPER.JPG", "UPPER.jpg", "stem2.png", "stem2.jpg"], ["p/UPPER.JPG", "p/stem2.png"])
        #expect(found.map { $0?.object.key } == ["p/UPPER.JPG", "p/UPPER.JPG", "p/stem2.png", "p/stem2.png"])
    }

    @Test func inputRecordsWithMoreThanIdAndNameComeBackAsTheyWere() throws {
        let matcher = try NameMatcher(ignoreCase: false, preferredExtensions: [], spoolDirectory: "/tmp")
        try matcher.add("a.jpg", input: ["id": "a", "name": "a.jpg"])
        try matcher.add("a.png", input: ["id": "a.png", "name": "a.png"])
        try matcher.add("b.jpg", input: ["id": "b", "name": "b.jpg", "label": .number("1.50"), "tags": .array(["x"])])
        try matcher.consider(object("a.jpg"))
        var inputs: [String] = []
        try matcher.forEachMatch { name, input, _ in inputs.append(name + " " + (input.map { JSONSerializer.string($0) } ?? "nil")) }
        #expect(inputs == ["a.jpg nil", #"a.png {"id":"a.png","name":"a.png"}"#,
                           #"b.jpg {"id":"b","name":"b.jpg","label":1.50,"tags":["x"]}"#])
    }

    /// The matcher before it spooled (every name and candidate object in memory), kept here as
    /// the reference the spooled one must agree with.
    func referenceMatches(_ names: [String], _ keys: [String], ignoreCase: Bool, prefer: [String]) -> [NameMatch?] {
        func normalize(_ name: Substring) -> String { ignoreCase ? name.lowercased() : String(name) }
        // Keyed by the stem's bytes, as the old matcher's 128-bit hash of them was (a Swift
        // String key would merge canonically equal stems: "é" and "e\u{301}").
        var candidates: [[UInt8]: [S3Object]] = [:]
        for key in keys {
            let object = object(key)
            guard !object.fileName.isEmpty else { continue }
            candidates[Array(IDAssigner.stem(normalize(object.fileName)[...]).utf8), default: []].append(object)
        }
        let prefer = prefer.map { $0.lowercased() }
        return names.map { name in
            let listed = normalize(name[...])
            guard let found = candidates[Array(IDAssigner.stem(listed[...]).utf8)] else { return nil }
            func rank(_ o: S3Object) -> (Int, Bool) {
                (prefer.firstIndex(of: NameList.fileExtension(o.fileName)) ?? prefer.count, normalize(o.fileName) == listed)
            }
            let ranked = found.sorted { a, b in
                let ra = rank(a), rb = rank(b)
                if ra.0 != rb.0 { return ra.0 < rb.0 }
                if ra.1 != rb.1 { return ra.1 }
                return a.key < b.key
            }
            return NameMatch(object: ranked[0], alternatives: Array(ranked.dropFirst()))
        }
    }

    @Test(arguments: [0, 1, 2])
    func agreesWithTheInMemoryMatcherOnRandomListsAndCollidingHashes(hashKind: Int) throws {
        var random = SplitMix64(seed: 7)
        let stems = ["a", "A", "b", "a.b", "c d", "é", "e\u{301}", "x.jpg", "", "m1", "m2", "m3", "m4", "m5"]
        let exts = ["", ".jpg", ".png", ".JPG", ".webp", ".b"]
        func pick(_ items: [String]) -> String { items[Int(random.next() % UInt64(items.count))] }
        let hash: NameMatcher.Hash? = switch hashKind {
        case 0: nil
        case 1: { _ in 99 }                                   // every stem collides
        default: { StableHash($0).low & 3 }                   // four buckets
        }
        var sawMissing = false, sawAmbiguous = false
        for round in 0..<12 {
            let names = (0..<60).map { _ in pick(stems) + pick(exts) }.filter { !$0.isEmpty }
            let keys = Array(Set((0..<80).map { _ in pick(["", "p/", "p/q/"]) + pick(stems) + pick(exts) }))
            let ignoreCase = round % 2 == 1
            let prefer = round % 3 == 0 ? ["png", "webp"] : []
            let got = try matches(names, keys, ignoreCase: ignoreCase, prefer: prefer, hash: hash)
            let expected = referenceMatches(names, keys, ignoreCase: ignoreCase, prefer: prefer)
            #expect(got == expected, "round \(round), hash \(hashKind)")
            sawMissing = sawMissing || expected.contains { $0 == nil }
            sawAmbiguous = sawAmbiguous || expected.contains { $0?.alternatives.isEmpty == false }
        }
        #expect(sawMissing && sawAmbiguous)
    }

    @Test func namesAreTakenAsWrittenQuotedCellsKeepTheirSpaces() {
        #expect(NameList.csvFields(#"" leading space.jpg""#) == [" leading space.jpg"])
        #expect(NameList.csvFields(#""trailing.jpg "  ,x"#) == ["trailing.jpg ", "x"])
        #expect(NameList.csvFields("  unquoted.jpg  ") == ["unquoted.jpg"])
        let list = NameList()
        #expect(list.isHeader("filename"))
        #expect(list.name(fromLine: #"" leading space.jpg""#) == " leading space.jpg")
    }

    @Test func stemAndExtension() {
        #expect(IDAssigner.stem("a.b.jpg") == "a.b")
        #expect(IDAssigner.stem(".hidden") == ".hidden")
        #expect(NameList.fileExtension("x.JPG") == "jpg")
        #expect(NameList.fileExtension("x") == "")
    }
}
