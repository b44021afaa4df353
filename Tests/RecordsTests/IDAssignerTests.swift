// The record contract's id rule: stem first, the full name when an earlier name has the stem,
// a duplicate when the same name comes again; ids already given never change as the list grows.
import Testing
@testable import Records

/// An IDAssigner driven through plain functions (#expect cannot call a mutating method).
final class Assigner {
    var ids = IDAssigner()
    func callAsFunction(_ name: String, _ fallbacks: [String] = []) -> IDAssigner.Assignment {
        ids.assign(name: name, fallbacks: fallbacks)
    }
    func claim(_ id: String) -> Bool { ids.claim(id) }
}

@Suite struct IDAssignerTests {
    @Test func sameStemNamesGetTheirFullNameAfterTheFirst() {
        let assign = Assigner()
        let names = ["stem1.jpg", "stem1.png", "stem1.webp", "UPPER.JPG", "UPPER.jpg", " leading space.jpg", "a.b.jpg", "noext"]
        #expect(names.map { assign($0) } == [.unique("stem1"), .unique("stem1.png"), .unique("stem1.webp"), .unique("UPPER"),
                                              .unique("UPPER.jpg"), .unique(" leading space"), .unique("a.b"), .unique("noext")])
    }

    @Test func theSameNameListedTwiceIsADuplicate() {
        let assign = Assigner()
        #expect(assign("x.jpg") == .unique("x"))
        #expect(assign("x.png") == .unique("x.png"))
        #expect(assign("x.png") == .duplicate("x.png"))
        // Listed again: a duplicate, although its full name is no id yet.
        #expect(assign("x.jpg") == .duplicate("x.jpg"))
        #expect(assign("noext") == .unique("noext"))
        #expect(assign("noext") == .duplicate("noext"))
    }

    @Test func appendingNamesNeverChangesAnEarlierId() {
        let list = ["a.jpg", "b.png", "a.png", "c.jpg", "b.jpg"]
        let first = Assigner()
        let before = list.map { first($0).id }
        let second = Assigner()
        let after = (list + ["a.webp", "c.png", "d.jpg"]).map { second($0).id }
        #expect(Array(after.prefix(list.count)) == before)
        #expect(after == ["a", "b", "a.png", "c", "b.jpg", "a.webp", "c.png", "d"])
    }

    @Test func fallbacksSettleNamesThatSeveralFoldersShare() {
        let assign = Assigner()
        #expect(assign("x.jpg", ["a/x.jpg"]) == .unique("x"))
        #expect(assign("x.jpg", ["b/x.jpg"]) == .unique("x.jpg"))
        #expect(assign("x.jpg", ["c/x.jpg"]) == .unique("c/x.jpg"))
        #expect(assign("x.jpg", ["c/x.jpg"]) == .duplicate("x.jpg"))
    }

    @Test func claimedIdsAreSeenOnce() {
        let assign = Assigner()
        #expect(assign.claim("x"))
        #expect(!assign.claim("x"))
        #expect(assign("x.jpg") == .unique("x.jpg"))  // an explicit id takes the stem too
    }
}
