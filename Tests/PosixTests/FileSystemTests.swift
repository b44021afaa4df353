// FileSystem: mkdir -p over existing, nested and blocked paths; atomic replacement that leaves
// the old file or the new one and never a temporary file behind.
import Posix
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct FileSystemTests {
    @Test func splitGivesTheDirectoryAndTheName() {
        #expect(FileSystem.split(path: "out.ndjson") == (".", "out.ndjson"))
        #expect(FileSystem.split(path: "/out.ndjson") == ("/", "out.ndjson"))
        #expect(FileSystem.split(path: "work/REAL/out.ndjson") == ("work/REAL", "out.ndjson"))
        #expect(FileSystem.split(path: "/tmp/x/") == ("/tmp/x", ""))
    }

    @Test func makeDirectoriesCreatesEveryMissingLevelAndAcceptsExistingOnes() throws {
        let directory = TemporaryDirectory()
        let nested = directory.path + "/a/b//c/"
        try FileSystem.makeDirectories(nested)
        #expect(try FileSystem.status(directory.path + "/a/b/c").isDirectory)
        try FileSystem.makeDirectories(nested)
        try FileSystem.makeDirectories(directory.path)
        #expect(directory.names() == ["a"])
    }

    @Test func makeDirectoriesWorksOnRelativePaths() throws {
        let directory = TemporaryDirectory()
        let previous = getcwd(nil, 0)!
        defer { chdir(previous); free(previous) }
        chdir(directory.path)
        try FileSystem.makeDirectories("x/y")
        #expect(try FileSystem.status(directory.path + "/x/y").isDirectory)
    }

    @Test func aFileInTheWayIsAnErrorNamingTheFile() throws {
        let directory = TemporaryDirectory()
        try FileSystem.writeAtomically("not a directory", to: directory.path + "/file")
        do {
            try FileSystem.makeDirectories(directory.path + "/file/sub")
            Issue.record("made a directory under a file")
        } catch {
            #expect(error.call == "mkdir")
            #expect(error.path == directory.path + "/file")
            #expect(error.code == EEXIST)
        }
        #expect(try FileSystem.status(directory.path + "/file").isRegularFile)
    }

    @Test func writeAtomicallyReplacesTheWholeFileAndLeavesNoTemporaryFile() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/chart.svg"
        try FileSystem.writeAtomically(Array(repeating: UInt8(ascii: "a"), count: 100_000), to: path)
        try FileSystem.writeAtomically("short", to: path, sync: false)
        #expect(try FileSystem.read(path) == Array("short".utf8))
        #expect(directory.names() == ["chart.svg"])
    }

    @Test func aFailedRenameRemovesTheTemporaryFileAndLeavesTheTargetAlone() throws {
        let directory = TemporaryDirectory()
        // A non-empty directory under the final name: the rename fails after the data is written.
        let target = directory.path + "/out"
        try FileSystem.makeDirectories(target + "/inside")
        do {
            try FileSystem.writeAtomically("new content", to: target)
            Issue.record("renamed a file over a directory")
        } catch {
            #expect(error.call == "rename")
            #expect(error.path.hasPrefix(directory.path + "/.out.tmp-"))
        }
        #expect(directory.names() == ["out"])
        #expect(try FileSystem.status(target).isDirectory)
    }

    @Test func aFailedCreateLeavesNothingUnderTheFinalName() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/missing/out.png"
        do {
            try FileSystem.writeAtomically("x", to: path)
            Issue.record("wrote into a missing directory")
        } catch {
            #expect(error.call == "open")
            #expect(error.isNotFound)
        }
        #expect(!FileSystem.exists(path))
        #expect(directory.names() == [])
    }

    @Test func statusSeesKindsAndLstatDoesNotFollowLinks() throws {
        let directory = TemporaryDirectory()
        try FileSystem.writeAtomically("12345", to: directory.path + "/file")
        #expect(symlink(directory.path + "/file", directory.path + "/link") == 0)
        #expect(try FileSystem.status(directory.path + "/link").size == 5)
        #expect(try FileSystem.status(directory.path + "/link", followLinks: false).kind == .symbolicLink)
        #expect(throws: SystemError("stat", path: directory.path + "/none", code: ENOENT)) {
            try FileSystem.status(directory.path + "/none")
        }
    }

    @Test func contentsRenameAndRemove() throws {
        let directory = TemporaryDirectory()
        try FileSystem.writeAtomically("1", to: directory.path + "/one")
        try FileSystem.writeAtomically("2", to: directory.path + "/two")
        #expect(try FileSystem.contents(ofDirectory: directory.path).sorted() == ["one", "two"])
        try FileSystem.rename(directory.path + "/two", to: directory.path + "/one")
        #expect(try FileSystem.read(directory.path + "/one") == Array("2".utf8))
        try FileSystem.remove(directory.path + "/one")
        #expect(directory.names() == [])
        #expect(throws: SystemError("unlink", path: directory.path + "/one", code: ENOENT)) {
            try FileSystem.remove(directory.path + "/one")
        }
        #expect(throws: SystemError("opendir", path: directory.path + "/one", code: ENOENT)) {
            try FileSystem.contents(ofDirectory: directory.path + "/one")
        }
        try FileSystem.checkReadable(directory.path)
    }
}
