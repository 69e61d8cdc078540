"""The demonstration content, written for Vetted. References are keyed by the fixture's ids."""

DEMO_TOPICS = [
    {
        "slug": "sports-medicine",
        "name": "Sports medicine",
        "description": "Exercise, training and the injuries and complaints that come with them.",
    },
    {
        "slug": "neurology",
        "name": "Neurology",
        "description": "Nerves, muscles and the brain.",
    },
]

DEMO_AUDIENCES = [
    {
        "slug": "patient",
        "name": "Patient or caregiver",
        "label": "I'm a patient or caregiver",
        "schema_type": "Patient",
        "is_default": True,
        "order": 0,
    },
    {
        "slug": "student",
        "name": "Student",
        "label": "I'm a student",
        "schema_type": "MedicalResearcher",
        "is_default": False,
        "order": 1,
    },
    {
        "slug": "professional",
        "name": "Healthcare professional",
        "label": "I'm a healthcare professional",
        "schema_type": "Clinician",
        "is_default": False,
        "order": 2,
    },
]

DEMO_SECTION_KINDS = [
    {
        "slug": "guidelines",
        "name": "Guidelines",
        "default_heading": "From the Guidelines",
        "order": 0,
    },
    {"slug": "research", "name": "Research", "default_heading": "From the Research", "order": 1},
    # Migration 0006 creates it too; listed so a seed on any database has it.
    {"slug": "help", "name": "When to get help", "default_heading": "When to get help", "order": 2},
]

# Reference kinds and evidence grades for the fixture's entries.
DEMO_REFERENCE_KINDS = {
    "ref-1": ("guideline", "moderate"),
    "ref-2": ("narrative_review", ""),
    "ref-3": ("narrative_review", "low"),
    # A small counterbalanced crossover (13 men): low, not moderate.
    "ref-4": ("randomized_trial", "low"),
    "ref-5": ("observational", "moderate"),
    "ref-6": ("narrative_review", ""),
}

DEMO_POLICY = """\
Vetted publishes answers to medical questions that readers actually ask. Every answer is
drafted by an author, checked against the cited evidence, and reviewed by members of our
**Medical Advisory Board** before it is marked as approved.

- Authors must cite every factual statement. Retracted sources cannot be cited.
- Board members review the exact revision readers will see; any later edit needs a new approval.
- Board members declare conflicts of interest and never review their own work.
- We re-review every approved answer on a fixed schedule, and sooner when the evidence moves.

Corrections: if you believe something is wrong, use the follow-up form on the article.
"""

FOOT_CRAMPS = {
    "slug": "foot-cramps-during-exercise",
    "topic": "sports-medicine",
    "disclaimer": "Muscle cramps",
    "title": "What causes foot cramps during exercise, and how can I prevent them?",
    "summary": (
        "Most cramps that grip the foot or calf during exercise seem to come from overexcited "
        "nerve endings in a tired muscle, not simply from dehydration or lost salt. Gently "
        "stretching the muscle usually ends a cramp within minutes. To make cramps less likely, "
        "build up training gradually, pace yourself, and stretch regularly; drink to a plan for "
        "safety in the heat, but no drink has been shown to prevent cramps."
    ),
    "summary_variants": {
        "professional": (
            "Exercise-associated muscle cramps (EAMC) are best explained by altered "
            "neuromuscular control with peripheral motor-nerve hyperexcitability in fatigued "
            "muscle. Prospective data do not support dehydration or serum electrolyte change "
            "as the primary cause. Passive stretching is first-line acute management; "
            "prevention targets fatigue (conditioning, pacing). Recurrent or resting cramps "
            "warrant a neurological and metabolic work-up."
        ),
        "student": (
            "The leading explanation for exercise cramps is a nerve-and-muscle control "
            "problem in fatigued muscle. The older dehydration and electrolyte theory is "
            "not well supported by prospective studies. Stretching relieves a cramp; training "
            "and pacing that delay fatigue are the best-supported ways to prevent one."
        ),
    },
    "sections": [
        {
            "kind": "guidelines",
            "heading": "From the Guidelines",
            "statements": [
                (
                    "paragraph",
                    "Sports medicine guidance treats replacing fluid and electrolytes as a way "
                    "to protect performance and safety during exercise, especially in the heat, "
                    "rather than as a proven cure for cramps.",
                    ["ref-1"],
                    {},
                ),
                (
                    "bullet",
                    "Drink to a personal plan before, during and after exercise, aiming not to "
                    "lose more than about **2% of body weight** through sweat.",
                    ["ref-1"],
                    {
                        "professional": "Individualised fluid plans should limit body-mass loss "
                        "from sweat to under roughly 2% during exercise."
                    },
                ),
                (
                    "bullet",
                    "Drinks that contain sodium can help in long or hot sessions when sweat "
                    "losses are heavy.",
                    ["ref-1"],
                    {},
                ),
            ],
        },
        {
            "kind": "research",
            "heading": "From the Research",
            "statements": [
                ("subheading", "Where a cramp starts", [], {}),
                (
                    "bullet",
                    "A true cramp is a sudden, painful, involuntary tightening that starts with "
                    "abnormal firing in the nerve endings inside the muscle.",
                    ["ref-2"],
                    {
                        "professional": "True cramps arise from ectopic discharges in "
                        "intramuscular motor nerve terminals, a peripheral rather "
                        "than central origin."
                    },
                ),
                (
                    "bullet",
                    "Cramps tend to start when a muscle that is already shortened contracts "
                    "hard, such as when you point your toes.",
                    ["ref-2"],
                    {},
                ),
                ("subheading", "Dehydration and electrolytes", [], {}),
                (
                    "bullet",
                    "Reviews of the evidence find that the popular dehydration and salt-loss "
                    "explanation rests mostly on anecdotes and small case series, while muscle "
                    "fatigue and altered nerve control are better supported.",
                    ["ref-3"],
                    {},
                ),
                (
                    "bullet",
                    "In a small crossover trial, a carbohydrate-electrolyte drink delayed cramps "
                    "but did not prevent them.",
                    ["ref-4"],
                    {},
                ),
                (
                    "bullet",
                    "Among 210 Ironman triathletes, those who cramped had the same changes in "
                    "body weight and blood electrolytes as those who did not.",
                    ["ref-5"],
                    {
                        "professional": "In a prospective cohort of 210 Ironman triathletes, "
                        "crampers and non-crampers did not differ in pre- to "
                        "post-race serum electrolyte or body-mass change."
                    },
                ),
                ("subheading", "Who is at risk", [], {}),
                (
                    "bullet",
                    "Racing faster than usual and having cramped before were the factors that "
                    "predicted who would cramp.",
                    ["ref-3", "ref-5"],
                    {},
                ),
                ("subheading", "How to prevent cramps", [], {}),
                (
                    "bullet",
                    "**Train for the effort you plan.** Cramps are linked to muscle fatigue, so "
                    "building fitness gradually and practising at race intensity help delay it.",
                    ["ref-3"],
                    {
                        "professional": "Prevention targets premature fatigue: adequate "
                        "conditioning and training that mimics competition intensity and "
                        "duration."
                    },
                ),
                (
                    "bullet",
                    "**Pace yourself.** Going out faster than you trained for was a risk factor "
                    "for cramping in a race.",
                    ["ref-5"],
                    {},
                ),
                (
                    "bullet",
                    "**Stretch regularly.** Stretching the muscles that tend to cramp, such as "
                    "the calf, is a common and low-risk way to make cramps less likely.",
                    ["ref-3", "ref-6"],
                    {},
                ),
                (
                    "bullet",
                    "**Drink for safety, not as a cure.** Follow a personal fluid plan, with "
                    "sodium in long or hot sessions; it protects performance and may delay "
                    "cramps, but has not been shown to prevent them.",
                    ["ref-1", "ref-4"],
                    {},
                ),
                ("subheading", "Relief during a cramp", [], {}),
                (
                    "bullet",
                    "Stop, and gently stretch the cramping muscle: for the foot or calf, pull "
                    "your toes up towards your shin. Stretching usually ends a cramp within "
                    "minutes.",
                    ["ref-3", "ref-6"],
                    {
                        "professional": "Passive stretching of the affected muscle is "
                        "first-line acute treatment and usually terminates the cramp within "
                        "minutes."
                    },
                ),
                (
                    "bullet",
                    "Cramps that come often, strike at rest, or come with weakness or numbness "
                    "can point to a nerve or medical problem and deserve a medical assessment.",
                    ["ref-6"],
                    {
                        "professional": "Frequent, resting or painful cramps with weakness or "
                        "sensory change call for assessment for neuropathy, motor "
                        "neuron disease, metabolic or drug causes."
                    },
                ),
            ],
        },
        {
            # Red flags: advice to act, reviewed by the board; see articles/completeness.py.
            "kind": "help",
            "heading": "When to get help",
            "statements": [
                ("subheading", "Call an emergency number (999, 911 or 112) now if", [], {}),
                (
                    "bullet",
                    "A cramp comes with **chest pain**, trouble breathing, fainting or confusion.",
                    [],
                    {},
                ),
                (
                    "bullet",
                    "You feel very unwell, hot and confused while exercising in the heat.",
                    [],
                    {},
                ),
                ("subheading", "See a doctor soon if", [], {}),
                (
                    "bullet",
                    "Cramps keep coming back, happen at rest, or wake you at night.",
                    ["ref-6"],
                    {},
                ),
                (
                    "bullet",
                    "You notice **weakness**, numbness or muscle wasting.",
                    ["ref-6"],
                    {},
                ),
                (
                    "bullet",
                    "The leg or foot stays **swollen**, red or painful after the cramp has gone.",
                    [],
                    {},
                ),
            ],
        },
    ],
}

# Sister articles that show the desk and queue in other states.
SISTER_ARTICLES = [
    {
        "slug": "do-electrolyte-drinks-prevent-cramps",
        "topic": "sports-medicine",
        "title": "Do electrolyte drinks prevent muscle cramps?",
        "summary": "Electrolyte drinks can delay cramps in some people but do not reliably "
        "prevent them.",
        "status": "draft",
        "sections": [
            {
                "kind": "research",
                "heading": "From the Research",
                "statements": [
                    (
                        "bullet",
                        "A carbohydrate-electrolyte drink delayed the onset of cramps in a "
                        "small crossover trial but did not stop them from happening.",
                        ["ref-4"],
                        {},
                    ),
                ],
            },
        ],
    },
]

# Taken through submit, start review and approval by seed_demo, so readers see an approved page.
APPROVED_ARTICLES = [
    {
        "slug": "are-exercise-cramps-caused-by-dehydration",
        "topic": "sports-medicine",
        "disclaimer": "Fluids and heat",
        "title": "Are muscle cramps during exercise caused by dehydration?",
        "summary": (
            "Probably not on their own. Athletes who cramp are, on average, no more dehydrated "
            "and have no lower blood salt levels than athletes who do not. Staying hydrated "
            "still matters for safety and performance, especially in the heat."
        ),
        "status": "draft",
        "sections": [
            {
                "kind": "guidelines",
                "heading": "From the Guidelines",
                "statements": [
                    (
                        "paragraph",
                        "Position statements on fluid replacement aim to prevent heat illness and "
                        "loss of performance; they do not name dehydration as the established "
                        "cause of cramps.",
                        ["ref-1"],
                        {},
                    ),
                ],
            },
            {
                "kind": "research",
                "heading": "From the Research",
                "statements": [
                    (
                        "bullet",
                        "An evidence-graded review found that the dehydration and electrolyte "
                        "theory of exercise cramps rests mainly on anecdotes and small case "
                        "series.",
                        ["ref-3"],
                        {},
                    ),
                    (
                        "bullet",
                        "In a crossover trial, a carbohydrate-electrolyte drink postponed cramps "
                        "but did not prevent them.",
                        ["ref-4"],
                        {},
                    ),
                    (
                        "bullet",
                        "In Ironman triathletes followed through a race, those who cramped lost no "
                        "more body weight and had no lower serum sodium than those who did not.",
                        ["ref-5"],
                        {
                            "professional": "Prospectively, crampers and non-crampers showed no "
                            "difference in percentage body-mass loss or post-race "
                            "serum sodium."
                        },
                    ),
                ],
            },
        ],
    },
]
