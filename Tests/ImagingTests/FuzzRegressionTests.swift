// Every input fuzzing found and the code now survives (Tests/Fuzz/regressions, committed by
// scripts/fuzz.sh's workflow) replayed through the fuzz entry's path: each ends as a result or
// one ImagingError, quickly — never a crash, a hang or an unbounded allocation.
import Foundation
import Testing
@testable import Imaging

@Suite struct FuzzRegressionTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/regressions").path

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    @Test func theRegressionFolderIsNotEmpty() {
        #expect(Self.files.contains("png-itxt-length-2139030511.png"), "\(Self.files)")
    }

    @Test(arguments: files)
    func regressionInputEndsInOneAnswerQuickly(name: String) throws {
        let bytes = try ImageFile.read(Self.directory + "/" + name)
        var options = ResizeOptions()
        options.maximumSize = 48
        options.maximumPixels = 4_000_000
        options.maximumMemory = 64 << 20
        let clock = ContinuousClock()
        var code: ImagingError.Code?
        let elapsed = clock.measure {
            code = ImagingError.Code.of { _ = try ImageResizer.resize(bytes, options: options) }
        }
        #expect(code == nil || [.corrupt, .tooLarge, .unsupportedFormat].contains(code!), "\(name): \(String(describing: code))")
        #expect(elapsed < .seconds(2), "\(name) took \(elapsed)")
    }
}
