// FileDescriptor owns its descriptor: closed once, by close() or when the value ends; borrowed
// standard streams are never closed; reads and writes move all the bytes.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import Posix

@Suite struct FileDescriptorTests {
    @Test func theDescriptorIsClosedWhenTheValueEnds() throws {
        let directory = TemporaryDirectory()
        var raw: Int32 = -1
        do {
            let file = try FileDescriptor.open(directory.path + "/a", .truncate)
            raw = file.rawValue
            #expect(isOpen(raw))
        }
        #expect(!isOpen(raw))
    }

    @Test func closeReleasesItOnceAndTheEndOfTheValueDoesNotCloseAgain() throws {
        let directory = TemporaryDirectory()
        let first = try FileDescriptor.open(directory.path + "/a", .truncate)
        let raw = first.rawValue
        // A second close(2) of the number, when the value ends inside close(), fails with EBADF
        // and leaves that in errno; by then another thread could have been given the number.
        errno = 0
        try first.close()
        #expect(errno == 0)
        #expect(!isOpen(raw))
    }

    @Test func aFailedCloseIsReportedNamingThePath() {
        // A number that is not open: close(2) fails, and the error says which file it was for.
        #expect(throws: SystemError("close", path: "ghost", code: EBADF)) {
            try FileDescriptor(owning: 1_000_000, path: "ghost").close()
        }
    }

    @Test func aBorrowedDescriptorIsLeftOpen() throws {
        let copy = dup(1)
        defer { close(copy) }
        do {
            let borrowed = FileDescriptor(borrowing: copy, path: "copy of stdout")
            try borrowed.close()
        }
        #expect(isOpen(copy))
    }

    @Test func keepOpenUntilExitHandsOverTheNumber() throws {
        let file = try FileDescriptor.anonymousTemporaryFile(prefix: "posix-tests-")
        let raw = file.keepOpenUntilExit()
        defer { close(raw) }
        #expect(isOpen(raw))
    }

    @Test func writesAndReadsMoveEveryByte() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/data"
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let out = try FileDescriptor.open(path, .createNew)
        try out.write(bytes)
        try out.sync()
        #expect(try out.status().size == bytes.count)
        try out.close()

        let input = try FileDescriptor.open(path, .read)
        var middle = [UInt8](repeating: 0, count: 1000)
        let count = try middle.withUnsafeMutableBytes { try input.readFully(into: $0, at: 100_000) }
        #expect(count == 1000)
        #expect(middle == Array(bytes[100_000..<101_000]))
        #expect(try input.readToEnd(limit: bytes.count) == bytes)
        #expect(try FileSystem.read(path, limit: bytes.count - 1) == nil)
    }

    @Test func createNewRefusesAnExistingName() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/taken"
        try FileDescriptor.open(path, .createNew).close()
        #expect(throws: SystemError("open", path: path, code: EEXIST)) {
            _ = try FileDescriptor.open(path, .createNew)
        }
    }

    @Test func appendAddsAtTheEndAndTruncateCuts() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/log"
        try FileDescriptor.open(path, .append).write("one\n")
        try FileDescriptor.open(path, .append).write("two\n")
        #expect(try FileSystem.read(path) == Array("one\ntwo\n".utf8))
        let file = try FileDescriptor.open(path, .readWrite)
        try file.truncate(to: 4)
        #expect(try FileSystem.read(path) == Array("one\n".utf8))
        try FileDescriptor.open(path, .truncate).write("x")
        #expect(try FileSystem.read(path) == Array("x".utf8))
    }

    @Test func syncOfAPipeIsNotAnError() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let reading = FileDescriptor(owning: ends[0], path: "pipe")
        let writing = FileDescriptor(owning: ends[1], path: "pipe")
        try writing.write("x")
        try writing.sync()
        var byte: [UInt8] = [0]
        #expect(try byte.withUnsafeMutableBytes { try reading.read(into: $0) } == 1)
        #expect(byte == [UInt8(ascii: "x")])
    }
}
