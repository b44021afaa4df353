// TestSupport: helpers for end-to-end tests — run the built tools in real processes, find
// programs, free ports, temporary directories, files and MD5s.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto
import Posix
import Records
import Synchronization
import Testing
import TestUtilities

struct TestFailure: Error, CustomStringConvertible, Equatable {
    var description: String
    init(_ description: String) { self.description = description }
}

extension ProcessOutcome {
    /// Every stdout line as a record; a line that is not a JSON object fails the test.
    var records: [Record] { strictRecords(stdout) }
}

/// Checks that `records` carry `count` ids, every one different: the list's length and its set
/// both, so a duplicate cannot hide behind a lost record. Returns the ids.
@discardableResult
func expectUniqueIDs(_ records: [Record], count: Int, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
    let ids = records.compactMap(\.id)
    #expect(ids.count == records.count, "records without an id", sourceLocation: sourceLocation)
    #expect(ids.count == count, "\(ids.count) ids, expected \(count)", sourceLocation: sourceLocation)
    let repeated = Dictionary(grouping: ids, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
    #expect(repeated.isEmpty, "ids repeated: \(repeated)", sourceLocation: sourceLocation)
    return ids
}

enum TestSupport {
    /// The package root (two levels above .build/<config>/).
    static var packageRoot: String {
        var path = executableDirectory
        while !path.isEmpty, path != "/" {
            if access(path + "/Package.swift", R_OK) == 0 { return path }
            path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        }
        return "."
    }

    /// Where the built tools are: beside the test bundle.
    static var executableDirectory: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let exe = String(decoding: buffer[0..<max(0, n)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var directory = String(exe[..<(exe.lastIndex(of: "/") ?? exe.startIndex)])
        while directory.hasSuffix(".xctest") || directory.contains(".xctest/") {
            directory = String(directory[..<(directory.lastIndex(of: "/") ?? directory.startIndex)])
        }
        return directory
    }

    static func tool(_ name: String) throws -> String {
        let path = executableDirectory + "/" + name
        guard access(path, X_OK) == 0 else { throw TestFailure("\(path) is not built") }
        return path
    }

    static func findProgram(_ name: String, under folder: String, hint: String) throws -> String {
        let local = packageRoot + "/" + folder + "/" + name
        if access(local, X_OK) == 0 { return local }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") where access("\(directory)/\(name)", X_OK) == 0 {
            return "\(directory)/\(name)"
        }
        throw TestFailure("\(name) not found at \(local) or on PATH: \(hint)")
    }

    /// One folder per test process for every scratch directory; a guardian removes it when
    /// the process ends.
    static let runRoot: String = {
        var template = Array("/tmp/e2e-run-XXXXXX".utf8CString)
        let root = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        try? ProcessRunner.spawnGuardian("read _ignored; rm -rf '\(root)'")
        return root
    }()

    static func temporaryDirectory(_ label: String) -> String {
        var template = Array("\(runRoot)/\(label)-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    }

    static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemError("open", path: path) }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            guard n > 0 else { throw SystemError("write", path: path) }
            offset += n
        }
    }

    static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    static func md5(_ bytes: [UInt8]) -> String {
        Insecure.MD5.hash(data: bytes).map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }

    /// Every regular file under `directory` (relative paths), recursively.
    static func files(under directory: String, prefix: String = "") -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var found: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name == "." || name == ".." { continue }
            var info = stat()
            guard lstat(directory + "/" + name, &info) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                found += files(under: directory + "/" + name, prefix: prefix + name + "/")
            } else {
                found.append(prefix + name)
            }
        }
        return found.sorted()
    }

    /// Deterministic pseudo-random bytes (a seeded generator, so failures reproduce).
    static func bytes(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        var out = [UInt8](repeating: 0, count: count)
        for i in 0..<count {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            out[i] = UInt8(truncatingIfNeeded: state)
        }
        return out
    }

    // Test servers take ports below the kernel's ephemeral range (32768–60999 on Linux): an
    // outgoing connection's source port is drawn from that range, so a port picked free there can
    // be taken by a client before the server binds it (the demo test once lost its SeaweedFS
    // filer's gRPC port that way). Single ports come from 10000–19999; SeaweedFS blocks from
    // 20000–22760, their gRPC twins (+10000) ending below 32768.

    /// A port P such that P…P+4 and their gRPC twins (+10000) are free on 127.0.0.1.
    static func freePortBlock() throws -> Int {
        for _ in 0..<200 {
            let base = Int.random(in: 4000...4552) * 5
            let ports = (0...4).flatMap { [base + $0, base + $0 + 10000] }
            if ports.allSatisfy(isFree) { return base }
        }
        throw TestFailure("no free block of loopback ports")
    }

    /// A port free on 127.0.0.1, below the ephemeral range.
    static func freePort() throws -> Int {
        for _ in 0..<100 {
            let candidate = Int.random(in: 10000...19999)
            if isFree(candidate) { return candidate }
        }
        throw TestFailure("no free loopback port")
    }

    static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// Runs a built tool to the end with stdin from a file, in exactly `environment`.
    static func run(_ tool: String, _ arguments: [String], stdin: String? = nil, environment: [String: String],
                    scratch: String) throws -> ProcessOutcome {
        let out = scratch + "/\(tool).\(UInt32.random(in: 0...UInt32.max)).out"
        let err = out + ".err"
        return try ProcessRunner.runReadingBack([try self.tool(tool)] + arguments, stdinPath: stdin, stdoutPath: out, stderrPath: err,
                                                environment: environment)
    }
}
