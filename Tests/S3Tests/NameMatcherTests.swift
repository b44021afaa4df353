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

    @Test func exactNameBeatsStemAndOtherExtensionsAreAlternatives() {
        let matcher = NameMatcher(ignoreCase: false, preferredExtensions: [])
        let x = matcher.add("x.jpg")
        let y = matcher.add("y.jpg")
        let z = matcher.add("z.jpg")
        for key in ["p/x.png", "p/x.jpg", "p/y.png", "p/q/y.png", "p/X.jpg", "p/zz.jpg"] { matcher.consider(object(key)) }
        #expect(matcher.match(for: x)?.object.key == "p/x.jpg")
        #expect(matcher.match(for: x)?.alternatives.map(\.key) == ["p/x.png"])
        #expect(matcher.match(for: y)?.object.key == "p/q/y.png")
        #expect(matcher.match(for: y)?.alternatives.map(\.key) == ["p/y.png"])
        #expect(matcher.match(for: z) == nil)
    }

    @Test func preferredExtensionsSettleAmbiguity() {
        let matcher = NameMatcher(ignoreCase: false, preferredExtensions: ["webp", "png"])
        let x = matcher.add("x.jpg")
        for key in ["x.jpg", "x.png", "x.webp"] { matcher.consider(object(key)) }
        #expect(matcher.match(for: x)?.object.key == "x.webp")
        #expect(matcher.match(for: x)?.alternatives.map(\.key) == ["x.png", "x.jpg"])
    }

    @Test func ignoreCaseMatchesOtherCases() {
        let strict = NameMatcher(ignoreCase: false, preferredExtensions: [])
        let loose = NameMatcher(ignoreCase: true, preferredExtensions: [])
        let a = strict.add("Photo.JPG")
        let b = loose.add("Photo.JPG")
        strict.consider(object("dir/photo.png"))
        loose.consider(object("dir/photo.png"))
        #expect(strict.match(for: a) == nil)
        #expect(loose.match(for: b)?.object.key == "dir/photo.png")
    }

    @Test func everyListedNameHasItsOwnIndexAndNamesSharingAKeyBothMatchIt() {
        // Ids are unique per listed name, so two names (case variants, or a stem stored under
        // another extension) that find one object are two records, each with the object.
        let matcher = NameMatcher(ignoreCase: false, preferredExtensions: [])
        let upper = matcher.add("UPPER.JPG")
        let lower = matcher.add("UPPER.jpg")
        let png = matcher.add("stem2.png")
        let jpg = matcher.add("stem2.jpg")
        #expect([upper, lower, png, jpg] == [0, 1, 2, 3])
        #expect(matcher.count == 4)
        for key in ["p/UPPER.JPG", "p/stem2.png"] { matcher.consider(object(key)) }
        #expect(matcher.match(for: upper)?.object.key == "p/UPPER.JPG")
        #expect(matcher.match(for: lower)?.object.key == "p/UPPER.JPG")
        #expect(matcher.match(for: png)?.object.key == "p/stem2.png")
        #expect(matcher.match(for: jpg)?.object.key == "p/stem2.png")
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
