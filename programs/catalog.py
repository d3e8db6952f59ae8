"""Ready-made program templates: cadences, a full logic model with indicators and targets,
foundation text and an agreement. Creating a program from a template copies them; from then on
the program is the admin's to edit.

The logic model of each template is written as plain data and goes through the same validation
as a JSON import (``logic_model.parse_logic_model``), so a template can't hold what an admin
couldn't import. Its ``matching`` section (the profile questions a program asks, career goal
options, criteria weights, hard rules and custom questions) is plain data too: creating a program
from the template sets up its matching settings from it (matching's ``ensure_settings``, through
the ``program_created`` hook), cleaned as an admin's save is (``clean_template_matching``, both
in ``matching.services.criteria``).
"""

from django.core.exceptions import ValidationError

from . import logic_model

# Shorthands for the data below.
AT_LEAST, AT_MOST = "at_least", "at_most"


def _indicator(outcome, title, measure, target, direction=AT_LEAST, question="", description=""):
    return {
        "outcome": outcome,
        "title": title,
        "measure": measure,
        "target": str(target),
        "direction": direction,
        "survey_question": question,
        "description": description,
    }


CAREER_TRANSITION = {
    "name": "Career transition",
    "summary": (
        "For people moving into a new role, function or field: a mentor who has made a similar "
        "move helps them name transferable strengths, close the skill gaps that matter and "
        "build a network on the other side. Six months, meetings every two weeks."
    ),
    "cadences": {
        "checkin_every_weeks": 2,
        "review_every_weeks": 6,
        "meeting_minutes": 60,
        "matching_mode": "mentee_chooses",
        "default_mentor_capacity": 2,
    },
    "outcomes": [
        (
            "clarity",
            "Mentees have a clear, realistic target role",
            "They can describe the role they are moving into, why it fits them and what the hiring "
            "manager will look for, in their own words.",
        ),
        (
            "readiness",
            "Mentees close the skill gaps that matter most",
            "The two or three gaps that would block the move are named and visibly narrowed, "
            "with evidence a hiring manager would accept.",
        ),
        (
            "confidence",
            "Mentees feel confident making the move",
            "Self-rated confidence to apply, interview and start in the new role rises from the "
            "baseline to the end of the program.",
        ),
        (
            "mobility",
            "Internal moves happen and stick",
            "Mentees apply for, and move into, roles in the target field within 12 months, and "
            "are still there a year later.",
        ),
    ],
    "outputs": [
        (
            "plan",
            "Each mentee has a written transition plan",
            "Target role, transferable strengths, gaps, and a 90-day learning plan, agreed with "
            "the mentor at the first review.",
            ["clarity", "readiness"],
        ),
        (
            "milestones",
            "Roadmap milestones completed with evidence",
            "Learning, shadowing and portfolio milestones marked done with a link or a note.",
            ["readiness", "confidence"],
        ),
        (
            "network",
            "Each mentee meets at least five people in the target field",
            "Introductions made by the mentor, each followed by a short reflection.",
            ["clarity", "mobility"],
        ),
        (
            "applications",
            "Practised applications and interviews",
            "At least one mock interview and one reviewed application per mentee.",
            ["confidence", "mobility"],
        ),
        (
            "reviews",
            "Relationship reviews held every six weeks",
            "Both sides assess progress against the plan and agree two or three actions each.",
            ["readiness", "confidence"],
        ),
    ],
    "activities": [
        (
            "kickoff",
            "Kick-off and agreement",
            "A first meeting to sign the agreement, share career stories and set expectations.",
            ["plan"],
        ),
        (
            "strengths",
            "Transferable-strengths inventory",
            "The pair maps the mentee's experience onto the target role's requirements and names "
            "the gaps.",
            ["plan"],
        ),
        (
            "meetings",
            "Fortnightly one-to-one meetings",
            "Sixty minutes every two weeks, with an agenda from the roadmap and written actions.",
            ["milestones", "reviews"],
        ),
        (
            "shadowing",
            "Job shadowing and informational interviews",
            "The mentor opens doors: half-days with a team in the target field and short "
            "conversations with people doing the job.",
            ["network", "milestones"],
        ),
        (
            "mock",
            "Mock interviews and application reviews",
            "The mentor plays the hiring manager; the mentee gets specific, written feedback.",
            ["applications"],
        ),
        (
            "review",
            "Six-weekly relationship review",
            "Self-assessments, goal alignment and feedback both ways.",
            ["reviews"],
        ),
    ],
    "inputs": [
        (
            "mentors",
            "Mentors who have made a similar move",
            "Volunteers two or more years past a comparable transition, briefed in a one-hour "
            "session.",
            ["kickoff", "meetings", "shadowing", "mock"],
        ),
        (
            "time",
            "Protected time: two hours a month for each side",
            "Agreed with line managers before the program starts.",
            ["meetings", "shadowing"],
        ),
        (
            "library",
            "Role profiles and skills frameworks",
            "Up-to-date descriptions of target roles and the skills they need, from HR and "
            "hiring managers.",
            ["strengths", "mock"],
        ),
        (
            "coordinator",
            "A program coordinator",
            "About four hours a week to match, follow up on quiet pairs and run reviews.",
            ["kickoff", "review"],
        ),
    ],
    "indicators": [
        _indicator(
            "clarity",
            "Transition plans agreed by the first review",
            "milestone_completion",
            90,
            description="Share of mentees whose plan milestone is done by week 6.",
        ),
        _indicator("readiness", "Roadmap milestones completed on time", "milestone_completion", 75),
        _indicator("readiness", "Goals achieved at the final review", "goal_achievement", 70),
        _indicator(
            "confidence",
            "Confidence to make the move",
            "confidence_change",
            "1.5",
            description="Change in self-rated confidence (1–10), baseline to post survey.",
        ),
        _indicator(
            "mobility",
            "Mentees who applied for a target-field role",
            "survey_question",
            60,
            question="In the last six months, have you applied for a role in the "
            "field you are moving into? (share answering yes, %)",
        ),
        _indicator("mobility", "Pairs still meeting at the end", "retention", 85),
        _indicator("mobility", "Mentee satisfaction", "satisfaction", "4.2"),
    ],
    "foundation": {
        "values": (
            "Curiosity over judgement: a career change is an experiment, not a verdict.\n"
            "Candour: specific feedback, kindly given, is the most useful thing a mentor offers.\n"
            "Ownership: the mentee drives the plan; the mentor opens doors and asks questions."
        ),
        "goals": (
            "Within six months each mentee has a realistic target role, has closed the gaps "
            "that would block the move, and has practised applying for it. Within a year, most "
            "have applied; many have moved."
        ),
        "rules_of_engagement": [
            "We meet every two weeks for about an hour; whoever has to cancel proposes a new time "
            "within the same week.",
            "The mentee sets the agenda and sends it a day ahead; the mentor reads it.",
            "What we discuss stays between us. The program team sees only milestones and review "
            "results.",
            "The mentor never decides for the mentee: options, pros and cons, then the mentee "
            "chooses.",
            "Introductions are made only with both people's consent, and the mentee follows up "
            "within a week.",
            "Either of us can ask the program coordinator for help, or end the pairing, "
            "without having to give a reason.",
        ],
    },
    "matching": {
        # A move succeeds when the gaps towards the target role close: what the mentor can teach
        # (skills), where the mentee is heading (goals and the field, below) and a mentor a few
        # years further along (experience gap) make a good pair. Fortnightly calls work remotely,
        # so location, time zones and style are left out to keep the profile short; a shared
        # language is a must. Mentees choose their mentor, so "hopes" gives them something to
        # read. Department feeds the reporting-line rule: planning to leave a team is easier to
        # discuss with someone outside one's own reporting line.
        "questions": [
            "skills",
            "goals",
            "experience",
            "meetings",
            "languages",
            "department",
            "hopes",
        ],
        "career_goal_options": [
            "Move into a different function",
            "Move into people management",
            "Move from management back to hands-on work",
            "Move into a technical or data role",
            "Move into product or project management",
            "Move into a customer-facing role",
            "Move into a different industry",
            "Return to work after a career break",
        ],
        "weights": {"skills": 0.8, "goals": 0.7, "experience": 0.5},
        "hard_rules": {"shared_language": True, "not_same_reporting_line": True, "no_repair": True},
        "custom_questions": [
            {
                # The strongest signal: a mentor who has already moved into the mentee's field.
                "text": "Which field is the move into? (Mentors: the field you moved into.)",
                "kind": "multi",
                "options": [
                    "Engineering",
                    "Data and analytics",
                    "Product and design",
                    "Sales and marketing",
                    "Customer success",
                    "Operations",
                    "Finance",
                    "People and HR",
                    "Leadership and management",
                ],
                "weight": 0.9,
            },
        ],
    },
    "agreement": """## Career transition mentoring agreement

**{{ mentor_name }}** (mentor) and **{{ mentee_name }}** (mentee) agree to work together in
*{{ program_name }}* at {{ organization_name }}, from {{ start_date }} to {{ end_date }}.

### What we are working towards
{{ mentee_name }} is preparing a move into a new role or field. Together we will agree a
written transition plan by our first review: the target role, the strengths that carry over,
the two or three gaps that matter, and how to close them.

### How we work
- We meet {{ checkin_cadence }}, for about {{ meeting_length }}.
- We review how the mentorship is going {{ review_cadence }}, each of us honestly.
- The mentee sets the agenda; the mentor asks questions before giving answers.
- Introductions to other people happen only with everyone's consent.

### Confidentiality
What we discuss stays between us unless we both agree otherwise, or someone's safety is at
risk. The program team sees milestones and review results, not our notes.

### Ending
Either of us can end the mentorship by telling the other and the program coordinator. No
reason is needed.
""",
}


YOUNG_LEADERS = {
    "name": "Young leaders",
    "summary": (
        "For early-career people stepping into their first leadership responsibility. Pairs "
        "follow the six-stage relationship model: after the foundation, trust and rapport; "
        "defining the problem or skill; its meaning and impact; commitment and action; support "
        "and resources; review and feedback. Nine months, meetings every two weeks."
    ),
    "cadences": {
        "checkin_every_weeks": 2,
        "review_every_weeks": 8,
        "meeting_minutes": 60,
        "matching_mode": "automatic",
        "default_mentor_capacity": 2,
    },
    "outcomes": [
        (
            "self",
            "Young leaders know their strengths and blind spots as leaders",
            "They can name how they lead, how others experience it and what they want to change.",
        ),
        (
            "skill",
            "They apply one chosen leadership skill at work",
            "Delegating, giving feedback, running a meeting, handling conflict: one skill, chosen "
            "in stage 2, practised on real work and observed by others.",
        ),
        (
            "impact",
            "Their teams notice the difference",
            "Colleagues and managers report better clarity, feedback and follow-through.",
        ),
        (
            "pipeline",
            "The organisation keeps and promotes its young leaders",
            "Participants stay, and move into roles with more responsibility.",
        ),
    ],
    "outputs": [
        (
            "agreements",
            "Signed agreements and a trusted relationship (Foundation, stage 1)",
            "Every pair signs the agreement in the first meeting and completes the trust and "
            "rapport prompts by week 4.",
            ["self"],
        ),
        (
            "challenge",
            "A defined leadership challenge per mentee (stage 2)",
            "One skill or problem, described with a real situation and what good would look like.",
            ["self", "skill"],
        ),
        (
            "impact-map",
            "An impact map (stage 3)",
            "What the change means for the person, the team, the department and the organisation.",
            ["skill", "impact"],
        ),
        (
            "action-plan",
            "An action plan with options weighed (stage 4)",
            "Options, pros and cons, likely obstacles and the first steps, with dates.",
            ["skill", "impact"],
        ),
        (
            "support",
            "Named support and resources (stage 5)",
            "Who else helps, what training or reading, what the mentor will do.",
            ["skill"],
        ),
        (
            "reviews",
            "Reviews completed every eight weeks (stage 6)",
            "Self-assessment, goal alignment, feedback both ways and two or three actions each.",
            ["self", "impact", "pipeline"],
        ),
    ],
    "activities": [
        (
            "launch",
            "Launch event and foundation meeting",
            "Cohort launch, then each pair's first meeting: values, goals, rules of engagement, "
            "agreement.",
            ["agreements"],
        ),
        (
            "rapport",
            "Trust and rapport conversations",
            "Life and career stories, working styles, what each wants from the relationship.",
            ["agreements"],
        ),
        (
            "define",
            "Define-the-challenge session",
            "Guided prompts to move from a vague wish to one concrete skill or problem.",
            ["challenge"],
        ),
        (
            "meaning",
            "Meaning-and-impact session",
            "Why it matters, to whom, and how we will know it changed.",
            ["impact-map"],
        ),
        (
            "commit",
            "Commitment-and-action sessions",
            "Weigh options, anticipate obstacles, commit to next steps between meetings.",
            ["action-plan"],
        ),
        (
            "resources",
            "Support-and-resources check-ins",
            "The mentor connects the mentee with people, courses and stretch tasks.",
            ["support"],
        ),
        (
            "review",
            "Eight-weekly review and feedback",
            "Structured review; the pair may loop back to stage 2 with a new challenge.",
            ["reviews"],
        ),
        (
            "circles",
            "Quarterly peer circles",
            "Mentees from the cohort meet without mentors to share what works.",
            ["action-plan", "support"],
        ),
    ],
    "inputs": [
        (
            "mentors",
            "Experienced leaders as mentors",
            "Managers with three or more years of people leadership, trained in the six-stage "
            "model (two hours).",
            ["launch", "rapport", "define", "meaning", "commit", "review"],
        ),
        (
            "prompts",
            "Stage prompts and the roadmap template",
            "Editable conversation prompts for each stage, shipped with the program.",
            ["rapport", "define", "meaning", "commit", "review"],
        ),
        (
            "sponsor",
            "An executive sponsor",
            "Opens the launch, reads the six-monthly report, removes obstacles.",
            ["launch", "resources"],
        ),
        (
            "budget",
            "Learning budget per mentee",
            "For a course, books or a conference chosen in stage 5.",
            ["resources"],
        ),
        (
            "coordinator",
            "A program coordinator",
            "Runs launch, circles and review follow-up.",
            ["launch", "circles", "review"],
        ),
    ],
    "indicators": [
        _indicator(
            "self",
            "Self-awareness as a leader",
            "confidence_change",
            "1.0",
            description="Change in self-rated leadership self-awareness (1–10).",
        ),
        _indicator("skill", "Challenge milestones completed", "milestone_completion", 75),
        _indicator("skill", "Goal achievement in reviews", "goal_achievement", 70),
        _indicator(
            "impact",
            "Colleagues noticing a change",
            "survey_question",
            60,
            question="Since the program started, has this person's leadership "
            "improved in a way that affects your work? (share agreeing, %)",
        ),
        _indicator(
            "pipeline", "Young leaders still in the organisation after 12 months", "retention", 90
        ),
        _indicator("pipeline", "Reviews completed on time", "review_completion", 85),
        _indicator(
            "pipeline",
            "Pairs meeting as agreed",
            "meeting_frequency",
            "1.8",
            description="Meetings per pair per month (two-weekly cadence ≈ 2).",
        ),
    ],
    "foundation": {
        "values": (
            "Respect: both people's time, experience and limits.\n"
            "Trust: confidentiality is the ground everything else stands on.\n"
            "Growth through practice: leadership is learned on real work, reflected on together.\n"
            "Shared responsibility: the relationship works when both prepare and follow through."
        ),
        "goals": (
            "Each young leader moves through the six stages with their mentor: they define one "
            "leadership challenge that matters, understand its impact, commit to action with "
            "support, and review what changed. Their teams notice, and they stay and grow with "
            "us."
        ),
        "rules_of_engagement": [
            "We start with the foundation: values, goals and this agreement, in our first meeting.",
            "We meet every two weeks for an hour, in person when we can.",
            "We work through the stages in order, and may loop back from the review to define "
            "a new challenge.",
            "The mentee owns the challenge and the actions; the mentor asks before advising.",
            "Each meeting ends with written next steps for both of us.",
            "What is said in our meetings is confidential, except where someone's safety is at "
            "risk.",
            "Feedback goes both ways at every review, specific and kind.",
        ],
    },
    "matching": {
        # Nine months of fortnightly hours through the six stages: what the young leader wants to
        # grow into (goals), a style they can work with (trust and rapport come first) and hours
        # in common (availability, with the time zone it is read in) matter most. Skills are left
        # out: the skill to work on is chosen together in stage 2, not matched up front. Mentors
        # are experienced leaders, so the experience gap counts a little. Department feeds the
        # reporting-line rule: a mentor in one's own line can't be a safe sounding board.
        "questions": [
            "goals",
            "experience",
            "style",
            "meetings",
            "time_zone",
            "languages",
            "availability",
            "department",
            "hopes",
        ],
        "career_goal_options": [
            "Lead my first team",
            "Give honest, useful feedback",
            "Delegate and let go",
            "Run meetings that decide things",
            "Handle conflict in my team",
            "Lead without formal authority",
            "Manage former peers",
            "Build confidence as a leader",
            "Prepare for a bigger leadership role",
        ],
        "weights": {
            "goals": 0.8,
            "style": 0.7,
            "availability": 0.6,
            "experience": 0.3,
            "time_zone": 0.2,
        },
        "hard_rules": {"shared_language": True, "not_same_reporting_line": True, "no_repair": True},
    },
    "agreement": """## Young leaders mentoring agreement

**{{ mentor_name }}** (mentor) and **{{ mentee_name }}** (mentee) agree to work together in
*{{ program_name }}* at {{ organization_name }} from {{ start_date }} to {{ end_date }}.

### Our foundation
We have talked about our values, our goals for this mentorship and the rules of engagement,
and we agree to them.

### How we will work
We follow six stages, at the pace that suits us:

1. **Trust and rapport**: getting to know each other.
2. **Define the problem or skill** {{ mentee_name }} wants to work on.
3. **Meaning and impact**: for {{ mentee_name }}, the team, the department and the organisation.
4. **Commitment and action**: options, pros and cons, obstacles, and the steps we commit to.
5. **Support and resources**: who and what can help.
6. **Review and feedback**: what changed, and what next.

### Our commitments
- We meet {{ checkin_cadence }}, for about {{ meeting_length }}, and prepare for each meeting.
- We review the relationship {{ review_cadence }}, and give feedback both ways.
- We keep what we discuss confidential unless we both agree otherwise.
- Either of us can end the mentorship by telling the other and the program coordinator.
""",
}


ONBOARDING_BUDDY = {
    "name": "New-hire onboarding buddy",
    "summary": (
        "Every new hire gets a buddy from outside their reporting line for their first 90 "
        "days: someone to ask the questions you can't ask your manager, and a first friendly "
        "face in the network. Short weekly check-ins."
    ),
    "cadences": {
        "checkin_every_weeks": 1,
        "review_every_weeks": 6,
        "meeting_minutes": 30,
        "matching_mode": "admin",
        "default_mentor_capacity": 3,
    },
    "outcomes": [
        (
            "productive",
            "New hires become productive sooner",
            "They know how work gets done here and deliver their first piece of real work within "
            "30 days.",
        ),
        (
            "belonging",
            "New hires feel they belong",
            "They know people beyond their team and feel welcome to ask for help.",
        ),
        (
            "retention",
            "New hires stay past their first year",
            "Early attrition, the costliest kind, goes down.",
        ),
    ],
    "outputs": [
        (
            "checklist",
            "First-90-days checklist completed",
            "Tools, people, rituals and unwritten rules, ticked off with the buddy.",
            ["productive"],
        ),
        (
            "checkins",
            "Weekly buddy check-ins held",
            "Thirty minutes a week for the first 12 weeks.",
            ["productive", "belonging"],
        ),
        (
            "intros",
            "Introductions to at least six colleagues outside the team",
            "Made by the buddy, with a line on why each person is worth knowing.",
            ["belonging"],
        ),
        (
            "reviews",
            "Check-point reviews at weeks 6 and 12",
            "How is it going, what is missing, what should the manager know (with consent).",
            ["belonging", "retention"],
        ),
    ],
    "activities": [
        (
            "welcome",
            "Day-one welcome",
            "The buddy meets the new hire on the first day: lunch, a tour, the unwritten rules.",
            ["checklist", "checkins"],
        ),
        (
            "weekly",
            "Weekly check-ins",
            "Short, informal, following the new hire's questions.",
            ["checkins", "checklist"],
        ),
        (
            "network",
            "Network walk",
            "The buddy introduces the new hire to people they will need, team by team.",
            ["intros"],
        ),
        (
            "review",
            "Check-point reviews",
            "A short structured review at weeks 6 and 12.",
            ["reviews"],
        ),
    ],
    "inputs": [
        (
            "buddies",
            "Volunteer buddies",
            "At least a year in the organisation, outside the new hire's reporting line, with a "
            "30-minute briefing.",
            ["welcome", "weekly", "network"],
        ),
        (
            "checklist-doc",
            "The onboarding checklist",
            "Kept current by HR and team leads.",
            ["welcome", "weekly"],
        ),
        (
            "hr",
            "HR onboarding team",
            "Assigns buddies before day one and runs the reviews.",
            ["welcome", "review"],
        ),
    ],
    "indicators": [
        _indicator(
            "productive", "Checklist milestones completed by day 90", "milestone_completion", 90
        ),
        _indicator(
            "productive",
            "Time to first delivered work",
            "survey_question",
            30,
            AT_MOST,
            question="How many days after you started did you deliver your "
            "first piece of real work?",
        ),
        _indicator(
            "belonging",
            "Check-ins held as planned",
            "meeting_frequency",
            "3.5",
            description="Check-ins per pair per month during the first 12 weeks.",
        ),
        _indicator("belonging", "New-hire satisfaction with their buddy", "satisfaction", "4.3"),
        _indicator("belonging", "Check-point reviews completed", "review_completion", 90),
        _indicator("retention", "New hires still here at 12 months", "retention", 90),
    ],
    "foundation": {
        "values": (
            "Welcome: nobody should have to guess how things work here.\n"
            "No silly questions: the buddy is there for exactly those.\n"
            "Discretion: the buddy is not the manager, and doesn't report to them."
        ),
        "goals": (
            "In 90 days the new hire knows how work gets done, has met the people they need, "
            "has delivered real work and feels part of the place."
        ),
        "rules_of_engagement": [
            "The buddy meets the new hire on day one.",
            "We check in every week for 30 minutes during the first 12 weeks.",
            "Any question is a good question.",
            "What the new hire shares stays with the buddy unless they ask for it to be passed on.",
            "The buddy points to the right person rather than solving everything alone.",
        ],
    },
    "matching": {
        # A buddy is someone to see and ask every week for 90 days: the same office (below), a
        # nearby place (location, with the meeting format it is read with), hours in common
        # (availability) and a close time zone matter most, so time zones more than three hours
        # apart are ruled out. What the new hire wants from the first months (goals) counts a
        # little. Department feeds the rule that the buddy is outside the reporting line, as the
        # program promises. Skills, experience and style don't decide a good buddy.
        "questions": [
            "goals",
            "meetings",
            "location",
            "time_zone",
            "languages",
            "availability",
            "department",
            "hopes",
        ],
        "career_goal_options": [
            "Understand how work gets done here",
            "Meet people beyond my team",
            "Learn the tools and systems",
            "Learn the unwritten rules",
            "Get up to speed in my role quickly",
            "Know who to ask for what",
            "Settle into a new city or country",
            "Work well in a remote or hybrid team",
        ],
        "weights": {"availability": 0.8, "time_zone": 0.6, "location": 0.5, "goals": 0.3},
        "hard_rules": {
            "shared_language": True,
            "max_tz_hours": 3,
            "not_same_reporting_line": True,
            "no_repair": True,
        },
        "custom_questions": [
            {
                # Offices differ per organisation: admins rename the options.
                "text": "Which office do you work from?",
                "kind": "single",
                "options": ["Head office", "Regional office", "Fully remote"],
                "weight": 0.9,
            },
        ],
    },
    "agreement": """## Onboarding buddy agreement

**{{ mentor_name }}** (buddy) will help **{{ mentee_name }}** settle in at
{{ organization_name }} during *{{ program_name }}*, from {{ start_date }} to {{ end_date }}.

- We meet on the first day, then check in {{ checkin_cadence }} for about {{ meeting_length }}.
- We take stock {{ review_cadence }}: what is going well, what is missing.
- {{ mentor_name }} introduces {{ mentee_name }} to colleagues worth knowing.
- What we talk about stays between us unless {{ mentee_name }} asks to pass it on.
- Either of us can ask HR for a different buddy at any time, no reason needed.
""",
}


TEMPLATES: dict[str, dict] = {
    "career-transition": CAREER_TRANSITION,
    "young-leaders": YOUNG_LEADERS,
    "onboarding-buddy": ONBOARDING_BUDDY,
}

_SECTIONS = [
    ("outcome", "outcomes"),
    ("output", "outputs"),
    ("activity", "activities"),
    ("input", "inputs"),
]


def logic_model_data(key) -> dict:
    """The template's logic model in the export format (so it validates like an import)."""
    template = TEMPLATES[key]
    items, links = [], []
    for kind, section in _SECTIONS:
        for entry in template[section]:
            local_id, title, description = entry[0], entry[1], entry[2]
            items.append(
                {
                    "id": f"{kind}:{local_id}",
                    "kind": kind,
                    "title": title,
                    "description": description,
                }
            )
            if kind != "outcome":
                target_kind = {"output": "outcome", "activity": "output", "input": "activity"}
                links += [
                    {"source": f"{kind}:{local_id}", "target": f"{target_kind[kind]}:{t}"}
                    for t in entry[3]
                ]
    indicators = [{**i, "outcome": f"outcome:{i['outcome']}"} for i in template["indicators"]]
    return {
        "format": logic_model.EXPORT_FORMAT,
        "version": logic_model.EXPORT_VERSION,
        "items": items,
        "links": links,
        "indicators": indicators,
    }


def _template(key):
    try:
        return TEMPLATES[key]
    except KeyError:
        raise ValidationError({"template": f"Unknown template “{key}”."}) from None


def apply_settings(program, key):
    """Copy a template's cadences and settings onto an unsaved program."""
    template = _template(key)
    for name, value in template["cadences"].items():
        setattr(program, name, value)
    if not program.description:
        program.description = template["summary"]


def apply_content(*, program, key, actor):
    """Copy a template's logic model, indicators, foundation and agreement into a program
    (inside create_program's transaction, which writes the audit entry)."""
    from . import services

    template = _template(key)
    logic_model.import_logic_model(
        program=program, data=logic_model_data(key), actor=actor, replace=True, audit_it=False
    )
    foundation = program.foundation
    foundation.values = template["foundation"]["values"]
    foundation.goals = template["foundation"]["goals"]
    foundation.rules_of_engagement = list(template["foundation"]["rules_of_engagement"])
    foundation.save()
    services.save_agreement_template(
        program=program, body=template["agreement"], actor=actor, audit_it=False
    )
