"""The demo's disclaimers: fitting ones per topic and article, worded per audience."""

# Named disclaimers: the default wording (None) and the wording per audience. "General" is the
# site-wide fallback; topics and articles choose a more fitting one by name.
DEMO_DISCLAIMERS = {
    "General": {
        None: (
            "This article explains what research and guidelines say, for general education. "
            "It is not a diagnosis and does not replace advice from your own doctor, who knows "
            "your health and history."
        ),
        "student": (
            "Written for learning. Summaries simplify: read the cited sources and current "
            "guidelines before relying on a point in coursework or practice."
        ),
        "professional": (
            "This summary supports, but does not replace, clinical judgment. Evidence is "
            "summarised as of the review date; check the primary sources and current guidance "
            "before applying it to an individual patient."
        ),
    },
    "Exercise and sport": {
        None: (
            "This article is general education about exercise, not a training plan or a "
            "diagnosis. If you have a heart, lung or other long-term condition, or are new to "
            "hard exercise, ask your doctor what is safe for you. Stop and get help if "
            "exercise brings on chest pain, faintness or unusual breathlessness."
        ),
        "student": (
            "Written for learning about exercise physiology. Summaries simplify: read the cited "
            "sources before relying on a point in coursework or practice."
        ),
        "professional": (
            "This summary supports, but does not replace, clinical judgment. Exercise advice "
            "must fit the individual's cardiovascular and musculoskeletal status; check the "
            "primary sources and current guidance."
        ),
    },
    "Muscle cramps": {
        None: (
            "This article explains what research and guidelines say about muscle cramps, for "
            "general education. It is not a diagnosis and does not replace advice from your "
            "own doctor. See a healthcare professional if cramps are frequent or severe, happen "
            "at rest, or come with weakness, numbness or swelling."
        ),
        "student": (
            "Written for learning. Cramps have many causes beyond exercise; read the cited "
            "sources and current guidelines before relying on a point in coursework or practice."
        ),
        "professional": (
            "This summary supports, but does not replace, clinical judgment. Recurrent or "
            "resting cramps need assessment for neurological, metabolic and drug causes; check "
            "the primary sources and current guidance before applying it to a patient."
        ),
    },
    "Fluids and heat": {
        None: (
            "This article is general education about drinking during exercise. Fluid needs vary "
            "with body size, sweat rate, weather and health: people with heart or kidney "
            "conditions, or told to limit fluids, should follow their own doctor's advice. "
            "Drinking far more than you sweat can also be dangerous."
        ),
        "professional": (
            "This summary supports, but does not replace, clinical judgment. Individualise fluid "
            "and sodium advice, and consider exercise-associated hyponatraemia and heat illness "
            "in any athlete who collapses."
        ),
    },
}
DEMO_TOPIC_DISCLAIMERS = {"sports-medicine": "Exercise and sport"}
