// ImageInputsTests: img-resize's arguments sorted into record files and one listing of images
// (named, or found under directories), readable through its /proc path.
import Foundation
import Testing
@testable import Imaging

@Suite struct ImageInputsTests {
    @Test func imagesNamedOrFoundBecomeOneListingAfterTheRecordFiles() throws {
        let root = NSTemporaryDirectory() + "inputs-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/photos/sub", withIntermediateDirectories: true)
        for name in ["photos/b.JPG", "photos/sub/a.png", "photos/notes.txt", "single.webp", "records.ndjson"] {
            _ = FileManager.default.createFile(atPath: root + "/" + name, contents: Data("x".utf8))
        }
        let sources = try ImageInputs.sources(for: [root + "/records.ndjson", root + "/photos", "-", root + "/single.webp"])
        #expect(sources.count == 3)
        #expect(Array(sources.prefix(2)) == [root + "/records.ndjson", "-"])
        let listing = try #require(sources.last)
        #expect(listing.hasPrefix("/proc/self/fd/"))
        let listed = try String(contentsOfFile: listing, encoding: .utf8)
        #expect(listed == [root + "/photos/b.JPG", root + "/photos/sub/a.png", root + "/single.webp"].joined(separator: "\n") + "\n")
    }

    @Test func onlyRecordFilesNeedNoListing() throws {
        #expect(try ImageInputs.sources(for: ["a.ndjson", "-"]) == ["a.ndjson", "-"])
        #expect(try ImageInputs.sources(for: []) == [])
    }

    @Test func outDirAndItsParentsAreCreatedAndAFileInTheWayIsAnIOError() throws {
        let root = NSTemporaryDirectory() + "outdir-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try ImageInputs.makeDirectory(root + "/a/b/c")
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: root + "/a/b/c", isDirectory: &isDirectory) && isDirectory.boolValue)
        try ImageInputs.makeDirectory(root + "/a/b/c")  // already there: fine
        _ = FileManager.default.createFile(atPath: root + "/file", contents: nil)
        #expect(throws: ImagingError.self) { try ImageInputs.makeDirectory(root + "/file/sub") }
    }
}
