// Excess-of-mass selection on the condensed tree and the labels it gives, as scikit-learn's
// `_compute_stability`, `_get_clusters` (eom, allow_single_cluster false) and `_do_labelling`.

enum ClusterSelection {
    /// Labels 0… for the selected clusters in the order of their numbers, −1 for noise.
    static func labels(_ tree: CondensedTree) -> [Int] {
        let n = tree.n
        let clusters = tree.clusterCount
        guard clusters > 1 else { return [Int](repeating: -1, count: n) }
        // Stability: Σ over a cluster's children of (λ_child − λ_birth(cluster)) · size.
        var birth = [Double](repeating: 0, count: clusters)
        var parentOf = [Int](repeating: -1, count: clusters)
        var pointParent = [Int](repeating: n, count: n)
        var children = [[Int]](repeating: [], count: clusters)
        for edge in tree.edges {
            if edge.child >= n {
                birth[edge.child - n] = edge.lambda
                parentOf[edge.child - n] = edge.parent - n
                children[edge.parent - n].append(edge.child - n)
            } else {
                pointParent[edge.child] = edge.parent
            }
        }
        var stability = [Double](repeating: 0, count: clusters)
        for edge in tree.edges {
            stability[edge.parent - n] += (edge.lambda - birth[edge.parent - n]) * Double(edge.size)
        }
        // Highest number first (children before parents); the root is never selected.
        var selected = [Bool](repeating: false, count: clusters)
        for cluster in stride(from: clusters - 1, through: 1, by: -1) {
            let subtree = children[cluster].reduce(0.0) { $0 + stability[$1] }
            if subtree > stability[cluster] {
                stability[cluster] = subtree
            } else {
                selected[cluster] = true
                var stack = children[cluster]
                while let descendant = stack.popLast() {
                    selected[descendant] = false
                    stack += children[descendant]
                }
            }
        }
        // A point takes the label of the nearest selected cluster at or above the one it fell
        // out of; parents are numbered below children, so one pass in order settles every cluster.
        var labelOf = [Int](repeating: -1, count: clusters)
        var next = 0
        for cluster in 1..<clusters where selected[cluster] {
            labelOf[cluster] = next
            next += 1
        }
        for cluster in 1..<clusters where !selected[cluster] {
            labelOf[cluster] = labelOf[parentOf[cluster]]
        }
        return pointParent.map { labelOf[$0 - n] }
    }
}
