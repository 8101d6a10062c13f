"""Notebook 02's check-your-understanding questions (mirror neurons), re-exported by ``lessons.mirror``."""

__all__ = ["QUESTIONS"]

QUESTIONS: dict[str, dict] = {
    "timing": {
        "question": (
            "Your prediction: the sight of phase n reaches STS about 200 ms after premotor cortex "
            "programmed it, while premotor cortex programs phase n+1. The synapse strengthens when STS fires "
            "shortly BEFORE premotor cortex. Which link grows most?"
        ),
        "options": [
            "Sight of phase n → program of phase n+1: after learning, watching phase n starts the program "
            "of the next phase, so premotor cortex runs ahead of what it sees.",
            "Sight of phase n → program of phase n: the sight and the program describe the same movement, "
            "so learning pairs them into a classic mirror link.",
            "No link grows: the 200 ms delay is ten times longer than the ~20 ms plasticity window.",
        ],
        "correct": 0,
        "explanations": [
            "The sight of phase n is active together with the program of phase n+1; it arrives AFTER the "
            "program of phase n has ended, an order that weakens the synapse. In the demo at +200 ms "
            "the dark cells sit one step off the diagonal and the premotor curve starts about 200 ms "
            "before the sight (Keysers & Gazzola 2014).",
            "That is what a reversed rule would build, one that strengthens a synapse when STS fires about "
            "200 ms AFTER premotor cortex; real spike-timing-dependent plasticity weakens that order "
            "(Bi & Poo 1998). "
            "Same-phase links appear in the demo only when the sight arrives with almost no delay.",
            "The delay separates the sight from ITS OWN program, but by then premotor cortex is programming "
            "the next phase, so STS and premotor cortex still fire within a few tens of ms of each other: "
            "the matrix at +200 ms is not empty.",
        ],
    },
    "matrix": {
        "question": (
            "Set the sight delay to 0 ms and read both panels of the timing chart. What changed compared "
            "with +200 ms?"
        ),
        "options": [
            "The strong links moved onto the diagonal, and the premotor curve now starts together with the "
            "sight: a mirror that copies, not one that predicts.",
            "The strong links stayed one step off the diagonal; only their strength fell.",
            "The matrix is empty: without a delay, STDP has nothing to order.",
        ],
        "correct": 0,
        "explanations": [
            "With no delay, the sight of each phase fires together with its own program, so the diagonal "
            "grows; the dashed onset lines of the two curves almost coincide. The predictive shift needs "
            "the ~200 ms delay.",
            "Look at the numbers in the cells: at 0 ms the values near 0.5 sit on the diagonal.",
            "Firing together within the window still strengthens in this model (its window has a smaller "
            "weakening side, a model assumption), so the diagonal fills in.",
        ],
    },
    "opaque": {
        "question": (
            "In the associative model, which experience builds a baby's 'see smile → do smile' link, and "
            "which weakens it? Use the three sliders to check."
        ),
        "options": [
            "Being imitated builds it; seeing smiles while not smiling weakens it.",
            "Watching other people smile builds it; being imitated adds nothing a baby cannot get by "
            "watching.",
            "Any experience in which smiling and seeing a smile happen close in time builds it; nothing "
            "weakens it.",
        ],
        "correct": 0,
        "explanations": [
            "When a parent smiles back, the baby's own smile is followed by the sight of a smile "
            "(Catmur, Walsh & Heyes 2009). Seeing smiles without smiling lowers the contingency between "
            "seeing and doing, and in the model the link drops.",
            "With 'imitated' at 0 and only unpaired sights raised, the mirror link stays at 0: watching "
            "without doing pairs nothing with the baby's own action.",
            "That is a pure co-occurrence (contiguity) rule. The associative model tracks contingency: "
            "raise the unpaired sights and the learned link falls.",
        ],
    },
    "counter": {
        "question": (
            "Catmur, Walsh & Heyes (2007) trained people to move the index finger while watching a "
            "little-finger movement, and vice versa. How did they show that training changed the "
            "'mirror' response?"
        ),
        "options": [
            "TMS pulses while people only watched: the usual muscle-specific MEP pattern was reversed. "
            "Nobody moved.",
            "Watching a little-finger movement now made people lift their index finger without meaning to.",
            "fMRI showed that the premotor cortex stopped responding to watched finger movements.",
        ],
        "correct": 0,
        "explanations": [
            "Right: before training, watching a movement raised the motor-evoked potentials (MEPs) of the "
            "muscle that makes it; after training this pattern was reversed, with no movement made. The "
            "associative model reproduces this: the links follow the sensorimotor experience.",
            "No movement was triggered: the reversal was seen in motor-evoked potentials measured while "
            "people watched, not in what they did.",
            "The study used TMS, not fMRI, and found the pattern reversed, not abolished.",
        ],
    },
    "evidence": {
        "question": (
            "A magazine writes: 'Mirror neurons, recorded one by one in the human brain, prove that we "
            "understand others by simulating them.' What is accurate?"
        ),
        "options": [
            "Single-neuron mirror data come mostly from macaques; human data are mostly fMRI and TMS plus "
            "one single-neuron study; what mirroring is for is debated.",
            "Mirror neurons have never been found in humans, so the idea has been refuted.",
            "Many human single-neuron studies confirm it; the remaining debate is only about how mirror "
            "neurons develop.",
        ],
        "correct": 0,
        "explanations": [
            "Single-neuron recordings: macaque premotor cortex (di Pellegrino et al. 1992; Gallese et al. "
            "1996); in people, Mukamel et al. (2010) recorded single neurons in patients. "
            "Hickok (2009) argues the action-understanding claim is not directly tested.",
            "Mukamel et al. (2010) recorded human neurons that responded both to doing and to watching, "
            "and fMRI and TMS show mirror-like activity; the dispute is about what it does.",
            "Human single-neuron data are scarce (one study here), and the function, not only the origin, "
            "is debated (Hickok 2009; Cook et al. 2014).",
        ],
    },
}
