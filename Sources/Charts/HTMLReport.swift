public struct HTMLReport {
    public struct Written { public var indexPath: String; public var unreadableImages: Int }
    public init(comparison: Comparison, chartOptions: ChartOptions, examples: Int) throws {}
    public func write(to directory: String, progress: (String) -> Void) throws -> Written { Written(indexPath: "", unreadableImages: 0) }
}
