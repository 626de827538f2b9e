/// `plan.json` of a reproduction folder: what was planned, so that `report` can say what is
/// missing, and a later command into the same folder can be checked against it.
public struct PlanInfo: Codable, Equatable, Sendable {
    public var quick: Bool
    public var scale: ExperimentPlan.Scale
    public var seeds: ExperimentPlan.Seeds
    public var presets: [Preset]
    public var ablations: Bool
    public var plannedRuns: Int

    public init(quick: Bool, scale: ExperimentPlan.Scale, seeds: ExperimentPlan.Seeds, presets: [Preset], ablations: Bool, plannedRuns: Int) {
        self.quick = quick
        self.scale = scale
        self.seeds = seeds
        self.presets = presets
        self.ablations = ablations
        self.plannedRuns = plannedRuns
    }

    /// How `other` differs from this plan in what makes runs comparable (epochs, the
    /// experiment-1 size, the validation size, quick or not), in words; nil when it does not.
    /// Seeds, sizes, presets and ablations may grow: their runs stand side by side.
    func settingsDifference(from other: PlanInfo) -> String? {
        var differences: [String] = []
        if quick != other.quick { differences.append(quick ? "this folder holds a --quick reproduction" : "this folder holds a full reproduction, not --quick") }
        if scale.epochs != other.scale.epochs { differences.append("epochs \(scale.epochs) here, \(other.scale.epochs) asked") }
        if scale.fullTrainSize != other.scale.fullTrainSize {
            differences.append("experiment 1 with \(scale.fullTrainSize) training images here, \(other.scale.fullTrainSize) asked")
        }
        if scale.validationSize != other.scale.validationSize {
            differences.append("validation size \(scale.validationSize) here, \(other.scale.validationSize) asked")
        }
        return differences.isEmpty ? nil : differences.joined(separator: "; ")
    }

    /// One plan covering this one and `other`, which must have the same settings (see
    /// `settingsDifference`): the presets, sizes and ablations of both, the larger seed counts,
    /// and the runs such a plan has. What `plan.json` becomes when a folder is given a second
    /// plan, and what a merged report is measured against.
    func union(_ other: PlanInfo) -> PlanInfo {
        precondition(settingsDifference(from: other) == nil, "a union of plans with the same settings")
        var scale = self.scale
        scale.sizes = Array(Set(scale.sizes + other.scale.sizes)).sorted(by: >)
        let seeds = ExperimentPlan.Seeds(count: max(self.seeds.count, other.seeds.count),
                                         smallSizeCount: max(self.seeds.smallSizeCount, other.seeds.smallSizeCount),
                                         smallSizeLimit: self.seeds.smallSizeLimit)
        let presets = Preset.allCases.filter { self.presets.contains($0) || other.presets.contains($0) }
        let ablations = self.ablations || other.ablations
        let plan = ExperimentPlan(presets: presets, seeds: seeds, scale: scale, ablations: ablations, quick: quick, threads: 1)
        return PlanInfo(quick: quick, scale: scale, seeds: seeds, presets: presets, ablations: ablations, plannedRuns: plan.runs.count)
    }
}
