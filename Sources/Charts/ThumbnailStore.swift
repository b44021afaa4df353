// ThumbnailStore: the report's `thumbs/` folder — one JPEG per source image, named by a hash
// of the thumbnail size and the source's path, file size and modification time, made in parallel
// and reused on the next run.
import Dispatch
import Imaging
import Posix
import Records
import Synchronization

/// Makes and finds thumbnails under `reportDirectory/thumbs`.
public final class ThumbnailStore: Sendable {
    public let reportDirectory: String
    public let longSide: Int

    public init(reportDirectory: String, longSide: Int = 256) {
        self.reportDirectory = reportDirectory
        self.longSide = longSide
    }

    /// The thumbnail's path relative to the report directory, for an image path (nil when the
    /// source cannot be found).
    public func relativePath(for imagePath: String) -> String? {
        guard let info = try? FileSystem.status(imagePath) else { return nil }
        let key = "\(longSide)|\(imagePath)|\(info.size)|\(info.modificationSeconds)|\(info.modificationNanoseconds)"
        let hash = StableHash(key)
        return "thumbs/" + Self.hex(hash.low) + Self.hex(hash.high >> 32, digits: 8) + ".jpg"
    }

    /// The result of making thumbnails.
    public struct Outcome: Sendable, Equatable {
        /// Thumbnails made or reused, by source image path (relative to the report directory).
        public var made: [String: String] = [:]
        /// Sources that could not be read or decoded, with the reason.
        public var failures: [String: String] = [:]
    }

    /// Makes the thumbnails of `imagePaths` that do not exist yet, on every core.
    public func make(_ imagePaths: [String]) throws(ChartError) -> Outcome {
        try Files.makeDirectories(reportDirectory + "/thumbs")
        let unique = Array(Set(imagePaths)).sorted()
        let results = Mutex([(String, Result<String, ImagingError>)]())
        DispatchQueue.concurrentPerform(iterations: unique.count) { index in
            let result = thumbnail(unique[index])
            results.withLock { $0.append((unique[index], result)) }
        }
        var outcome = Outcome()
        for (source, result) in results.withLock({ $0 }) {
            switch result {
            case .success(let path): outcome.made[source] = path
            case .failure(let error): outcome.failures[source] = error.message
            }
        }
        return outcome
    }

    private func thumbnail(_ source: String) -> Result<String, ImagingError> {
        guard let relative = relativePath(for: source) else { return .failure(ImagingError(.io, "not found")) }
        let target = reportDirectory + "/" + relative
        if Files.exists(target) { return .success(relative) }
        guard let data = Files.read(source) else { return .failure(ImagingError(.io, "cannot read the file")) }
        do {
            try Files.write(try Thumbnail.jpeg(from: data, longSide: longSide), to: target)
            return .success(relative)
        } catch let error as ImagingError {
            return .failure(error)
        } catch {
            return .failure(ImagingError(.io, "\(error)"))
        }
    }

    static func hex(_ value: UInt64, digits: Int = 16) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
