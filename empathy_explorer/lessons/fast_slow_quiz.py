"""Quiz of notebook 03 (fast and slow routes): ``QUESTIONS`` as ``widgets.quiz`` keyword arguments."""

__all__ = ["QUESTIONS"]

QUESTIONS: dict[str, dict] = {
    "masked": {
        "question": (
            "Look at the masked-face chart at its starting settings (a 30 ms happy face, masked). What does "
            "it show, and what can the model NOT tell you about Dimberg, Thunberg & Elmehed's (2000) "
            "finding?"
        ),
        "options": [
            "EMG responds, the slow route stays below threshold; whether people truly saw nothing depends "
            "on the awareness check, not on the model.",
            "The slow route crosses the awareness threshold, but only after the EMG response, so the face "
            "is seen too late to be reported.",
            "The EMG responds although the slow route never crosses its threshold, which shows that the "
            "participants were unaware of the faces.",
        ],
        "correct": 0,
        "explanations": [
            "In the model the mask cuts the input of the slow route only. The threshold is a model "
            "assumption; whether people were unaware is an empirical question about the awareness check: "
            "with signal-detection measures, 64% of participants in Pessoa, Japee & Ungerleider (2005) "
            "reliably detected 33 ms masked fearful faces.",
            "Read the blue curve: with the mask it peaks well below the dashed threshold, and only one "
            "vertical line (the EMG onset) is drawn.",
            "The model's awareness threshold is an assumption we chose, so the model shows only that a "
            "response without awareness is possible in principle. Whether participants were unaware depends "
            "on how awareness was tested; signal-detection checks found that many people can detect 33 ms "
            "masked faces (Pessoa, Japee & Ungerleider 2005).",
        ],
    },
    "low_road": {
        "question": (
            "A lecture slide says: 'Fearful faces reach the amygdala by a fast subcortical low road that "
            "bypasses the cortex.' What is the fairest summary of the human evidence?"
        ),
        "options": [
            "Debated: a pulvinar–amygdala pathway was found in people (McFadyen et al. 2019); Pessoa & "
            "Adolphs (2010) argue it plays no prominent part.",
            "Settled in favour: LeDoux's fear-conditioning work in rats showed the route, so human face "
            "perception must work the same way.",
            "Settled against: studies have shown that no subcortical pathway to the amygdala exists in "
            "people.",
        ],
        "correct": 0,
        "explanations": [
            "Both sides have human data: diffusion imaging of 622 people found the pathway and tied its "
            "fibre density to fear recognition (McFadyen et al. 2019); Pessoa & Adolphs (2010) review "
            "anatomical and physiological data against a prominent role. The model's 'fast route' is a "
            "timing idea and takes no side.",
            "LeDoux's 'low road' comes from fear conditioning in rats (reviewed in LeDoux 2000); whether the "
            "same route does the work for faces in people is exactly what is disputed.",
            "McFadyen et al. (2019) reconstructed such a pathway in people; the dispute is about how much it "
            "matters, not whether any fibres exist.",
        ],
    },
    "context": {
        "question": (
            "In the 'to cure or to hurt' demo, set the context to 0.9 (an operating theatre) and the "
            "movement to +1.5 (hurting-like). Now move the blur from 3.0 down to 0.5. What happens to "
            "the conclusion?"
        ),
        "options": [
            "Blurred, the context wins ('to cure', P about 88%); seen clearly, the movement overrules the "
            "context ('to hurt', P(to cure) about 2%).",
            "It stays 'to hurt' at every blur: a hurting-like movement always overrules the context.",
            "It stays 'to cure' at every blur: in an operating theatre the context always wins.",
        ],
        "correct": 0,
        "explanations": [
            "The prior (context) dominates when the likelihood is flat (a blurred movement); a sharp "
            "likelihood can outweigh it. Kilner, Friston & Frith (2007) use the scalpel example, which they "
            "borrow from Jacob & Jeannerod (2005), to make the same point about context.",
            "At blur 3.0 the dot on the blue curve sits near 0.88: the movement is too uncertain to "
            "overrule a strong context.",
            "At blur 0.5 the blue curve drops steeply and the dot falls near 0.02: a clear movement can "
            "overrule even a strong context.",
        ],
    },
    "difficult": {
        "question": (
            "The handover says a patient 'exaggerates' (expectation 0.8). Their grimace shows some evidence "
            "of pain (+1.0) but you only glance at it (blur 3.0). In the model, which change lets the "
            "patient's face count most?"
        ),
        "options": [
            "Looking closely: the label decides while evidence is weak; at blur 0.5 perceived P(real pain) "
            "rises from about 22% to about 93%.",
            "Trusting the label a little less (0.8 → 0.6) while still glancing: perceived P(real pain) rises "
            "to about 43%, more than a careful look would give.",
            "Neither helps much: once a label is given, the model's perception follows it whatever the "
            "evidence.",
        ],
        "correct": 0,
        "explanations": [
            "Both changes help, but the careful look helps most: with clear evidence the likelihood "
            "overrules the prior. This is a model of how bias could work, not a measurement in a clinic.",
            "Try both: doubting the label raises the bar to about 43%, a careful look to about 93%. Doing "
            "both is better still.",
            "Move the blur slider: with a clear view the evidence wins even against a strong prior.",
        ],
    },
}
