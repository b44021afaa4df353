// MD5LanesAVX2: MD5Lanes' sixteen-lane kernel compiled for haswell (see Package.swift). Callers
// check the CPU first: on an older one these instructions would crash the process.
import MD5Lanes

public enum MD5x16AVX2 {
    public static func compressBlocks(state: UnsafeMutableRawPointer, pointers: UnsafePointer<UnsafeRawPointer>,
                                      strides: UnsafePointer<Int>, count: Int) {
        MD5x16.compressBlocks(state: state, pointers: pointers, strides: strides, count: count)
    }
}
