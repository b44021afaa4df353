// imaging-fuzz: the image decoders under libFuzzer (scripts/fuzz.sh builds it with
// --sanitize=fuzzer -DFUZZING; libFuzzer supplies main). Built plainly, it replays files given as
// arguments through the same entry point (to check a crash case once fixed).
import Imaging

/// One fuzz input through the whole resize path: format sniffing, header checks, every decoder,
/// orientation, resampling and encoding. Small limits keep one run fast and its memory bounded.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> Int32 {
    guard let start else { return 0 }
    var options = ResizeOptions()
    options.maximumSize = 48
    options.maximumPixels = 4_000_000
    options.maximumMemory = 64 << 20
    _ = try? ImageResizer.resize(UnsafeRawBufferPointer(start: start, count: count), options: options)
    options.format = .png
    options.keepSmall = true
    _ = try? ImageResizer.resize(UnsafeRawBufferPointer(start: start, count: count), options: options)
    return 0
}

#if !FUZZING
/// Built plainly: replays the files named as arguments through the fuzz entry point.
@main
struct ImagingFuzzReplay {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let bytes = try? ImageFile.read(path) else {
                print("\(path): cannot read")
                continue
            }
            _ = bytes.withUnsafeBytes { fuzzOneInput($0.baseAddress, $0.count) }
            print("\(path): ok")
        }
    }
}
#endif
