// DownloadLayout: where an object's file goes under --dir, refusing keys that would leave it
// (`..`, absolute keys, a symlink in the way) and never letting two keys share one file.
import Posix
import Records
import Posix

/// Why a key cannot be stored under the download directory.
public struct UnsafePathError: Error, Sendable, CustomStringConvertible {
    /// `unsafe_key` (the key itself would escape or names a folder) or `unsafe_path`
    /// (something on disk is in the way: a symlink, a file where a folder must be).
    public var code: String
    public var message: String
    public var description: String { message }
}

/// Maps keys to paths under one directory. One per run: it remembers which key took which path.
public final class DownloadLayout {
    public let directory: String
    public let keepPaths: Bool
    private var claims: [String: String] = [:]       // path -> bucket/key that took it
    private var checkedDirectories: Set<String> = []

    public init(directory: String, keepPaths: Bool) {
        var directory = directory
        while directory.count > 1, directory.hasSuffix("/") { directory.removeLast() }
        self.directory = directory
        self.keepPaths = keepPaths
    }

    /// The path relative to the directory: the file name, or (keepPaths) the key's folders too.
    public static func relativePath(forKey key: String, keepPaths: Bool) throws -> String {
        guard !key.isEmpty, !key.utf8.contains(0) else { throw unsafeKey(key, "is empty or holds a NUL byte") }
        if key.hasSuffix("/") { throw unsafeKey(key, "names a folder, not a file") }
        let segments = key.split(separator: "/", omittingEmptySubsequences: true)
        for segment in keepPaths ? segments : Array(segments.suffix(1)) where segment == "." || segment == ".." {
            throw unsafeKey(key, "has a '\(segment)' segment that would leave the download directory")
        }
        if keepPaths, key.hasPrefix("/") { throw unsafeKey(key, "is absolute") }
        return keepPaths ? segments.joined(separator: "/") : String(segments.last!)
    }

    /// The path this object's file should have; claims it for this key. Creates the folders
    /// it needs and refuses symlinks in the way.
    public func claimPath(bucket: String, key: String) throws -> String {
        let relative = try Self.relativePath(forKey: key, keepPaths: keepPaths)
        let path = directory + "/" + relative
        try prepareFolders(for: relative)
        let owner = bucket + "/" + key
        if let claimant = claims[path], claimant != owner {
            let alternate = Self.alternatePath(path, key: owner)
            claims[alternate] = owner
            return alternate
        }
        claims[path] = owner
        return path
    }

    /// Gives up a claim (the file turned out to belong to someone else); returns the key's own
    /// alternate path, which no other key can take.
    public func moveAside(_ path: String, bucket: String, key: String) -> String {
        let owner = bucket + "/" + key
        if claims[path] == owner { claims[path] = "\u{1}foreign" }
        let alternate = Self.alternatePath(path, key: owner)
        claims[alternate] = owner
        return alternate
    }

    /// `dir/name~1a2b3c4d.ext`: a name derived from the key, stable across runs.
    public static func alternatePath(_ path: String, key: String) -> String {
        let suffix = StableHash(key).shortHex
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        let name = path[slash...]
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            return path[..<dot] + "~" + suffix + path[dot...]
        }
        return path + "~" + suffix
    }

    /// Whether `path` is a symlink or a folder (a file must not be written through it).
    public static func checkFinalPath(_ path: String) throws {
        guard let kind = try? FileSystem.status(path, followLinks: false).kind else { return }
        if kind == .symbolicLink { throw UnsafePathError(code: "unsafe_path", message: "\(path) is a symlink; refusing to write through it") }
        if kind == .directory { throw UnsafePathError(code: "unsafe_path", message: "\(path) is a folder") }
    }

    private func prepareFolders(for relative: String) throws {
        var current = directory
        let folders = relative.split(separator: "/").dropLast()
        for folder in folders {
            current += "/" + folder
            if checkedDirectories.contains(current) { continue }
            if let kind = try? FileSystem.status(current, followLinks: false).kind {
                if kind == .symbolicLink {
                    throw UnsafePathError(code: "unsafe_path", message: "\(current) is a symlink; refusing to write through it")
                }
                if kind != .directory { throw UnsafePathError(code: "unsafe_path", message: "\(current) is a file where a folder is needed") }
            } else {
                do throws(SystemError) { try FileSystem.makeDirectory(current) } catch where !error.alreadyExists {
                    throw UnsafePathError(code: "unsafe_path", message: "cannot create \(current): \(error.reason)")
                } catch {}
            }
            checkedDirectories.insert(current)
        }
    }

    private static func unsafeKey(_ key: String, _ reason: String) -> UnsafePathError {
        UnsafePathError(code: "unsafe_key", message: "key \(key) \(reason); refused")
    }
}

extension UnsafePathError: UserFacingError {}
