// The record contract's id rule: stem first, the full name when an earlier name has the stem,
// a duplicate when both are taken; ids already given never change as the list grows.
import Testing
@testable import Records

@Suite struct IDAssignerTests {
    @Test func sameStemNamesGetTheirFullNameAfterTheFirst() {
        var ids = IDAssigner()
        let names = ["stem1.jpg", "stem1.png", "stem1.webp", "UPPER.JPG", "UPPER.jpg", " leading space.jpg", "a.b.jpg", "noext"]
        let given = names.map { ids.assign(name: $0) }
        #expect(given == [.unique("stem1"), .unique("stem1.png"), .unique("stem1.webp"), .unique("UPPER"), .unique("UPPER.jpg"),
                          .unique(" leading space"), .unique("a.b"), .unique("noext")])
    }

    @Test func theSameNameListedTwiceIsADuplicate() {
        var ids = IDAssigner()
        #expect(ids.assign(name: "x.jpg") == .unique("x"))
        #expect(ids.assign(name: "x.png") == .unique("x.png"))
        #expect(ids.assign(name: "x.png") == .duplicate("x.png"))
        // Listed again: a duplicate, although its full name is no id yet.
        #expect(ids.assign(name: "x.jpg") == .duplicate("x.jpg"))
        #expect(ids.assign(name: "noext") == .unique("noext"))
        #expect(ids.assign(name: "noext") == .duplicate("noext"))
    }

    @Test func appendingNamesNeverChangesAnEarlierId() {
        let list = ["a.jpg", "b.png", "a.png", "c.jpg", "b.jpg"]
        var first = IDAssigner()
        let before = list.map { first.assign(name: $0).id }
        var second = IDAssigner()
        let after = (list + ["a.webp", "c.png", "d.jpg"]).map { second.assign(name: $0).id }
        #expect(Array(after.prefix(list.count)) == before)
        #expect(after == ["a", "b", "a.png", "c", "b.jpg", "a.webp", "c.png", "d"])
    }

    @Test func fallbacksSettleNamesThatSeveralFoldersShare() {
        var ids = IDAssigner()
        #expect(ids.assign(name: "x.jpg", fallbacks: ["a/x.jpg"]) == .unique("x"))
        #expect(ids.assign(name: "x.jpg", fallbacks: ["b/x.jpg"]) == .unique("x.jpg"))
        #expect(ids.assign(name: "x.jpg", fallbacks: ["c/x.jpg"]) == .unique("c/x.jpg"))
        #expect(ids.assign(name: "x.jpg", fallbacks: ["c/x.jpg"]) == .duplicate("x.jpg"))
    }

    @Test func claimedIdsAreSeenOnce() {
        var ids = IDAssigner()
        #expect(ids.claim("x"))
        #expect(!ids.claim("x"))
        #expect(ids.assign(name: "x.jpg") == .unique("x.jpg"))  // an explicit id takes the stem too
    }
}
