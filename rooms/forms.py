"""Forms of room pages: they check what people type and hand it to a service."""

from django import forms

from .constants import (
    ACTION_ITEM_MAX,
    AGENDA_POINT_MAX,
    LOCATION_MAX,
    MESSAGE_MAX,
    NOTE_MAX,
    PROMPT_MAX,
    REASON_MAX,
    UPDATE_MAX,
)

# --- Agreement, meetings, break-glass ---

LENGTHS = [(m, f"{m} minutes") for m in (15, 30, 45, 60, 90, 120)]


class SignForm(forms.Form):
    typed_name = forms.CharField(
        label="Type your full name to sign",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


class MeetingForm(forms.Form):
    """Date and time are read in the scheduler's own time zone (the page's)."""

    starts_at = forms.SplitDateTimeField(
        label="When",
        widget=forms.SplitDateTimeWidget(
            date_attrs={"type": "date"}, time_attrs={"type": "time", "step": 300}
        ),
        help_text="In your time zone.",
    )
    minutes = forms.TypedChoiceField(label="Length", choices=LENGTHS, coerce=int, initial=60)
    location = forms.CharField(
        label="Place",
        max_length=LOCATION_MAX,
        required=False,
        help_text="An address, a room, or “phone”.",
    )
    video_url = forms.URLField(
        label="Video link",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="Leave empty when you meet in person.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        minutes = self.initial.get("minutes")
        if minutes and minutes not in dict(LENGTHS):
            self.fields["minutes"].choices = sorted([*LENGTHS, (minutes, f"{minutes} minutes")])


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to read this room?",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Both participants see this reason, your name and the time in their room. "
        "It is also kept in the audit log.",
    )


class RoomSettingsForm(forms.Form):
    break_glass = forms.BooleanField(
        label="Admins may open a room's notes and messages, with a reason the pair sees",
        required=False,
        help_text="For programs that must (e.g. youth mentoring). Each opening is audited and "
        "lasts a day.",
    )


# --- Agenda, stage prompts, notes, action items, messages, updates, feedback ---


class StagePromptForm(forms.Form):
    stage = forms.TypedChoiceField(label="Stage", coerce=int, choices=())
    text = forms.CharField(label="Prompt", max_length=PROMPT_MAX)

    def __init__(self, *args, **kwargs):
        from .models import Stage

        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = Stage.choices


class AgendaPointForm(forms.Form):
    text = forms.CharField(label="Point", max_length=AGENDA_POINT_MAX)
    private = forms.BooleanField(
        label="Private: only you see it", required=False, help_text="Not your partner, nobody."
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Note",
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Plain text; **bold**, *italics*, lists and links work.",
    )
    private = forms.BooleanField(label="Private: only you will ever read it", required=False)


class ActionItemForm(forms.Form):
    description = forms.CharField(label="What", max_length=ACTION_ITEM_MAX)
    owner = forms.TypedChoiceField(label="Who", coerce=int, choices=())
    due_date = forms.DateField(
        label="By", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, room, **kwargs):
        super().__init__(*args, **kwargs)
        match = room.match
        self.fields["owner"].choices = [
            (match.mentee.user_id, f"{match.mentee.display_name} (mentee)"),
            (match.mentor.user_id, f"{match.mentor.display_name} (mentor)"),
        ]


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Message", max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProgressUpdateForm(forms.Form):
    progress = forms.CharField(
        label="Progress", required=False, max_length=UPDATE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    roadblocks = forms.CharField(
        label="Roadblocks", required=False, max_length=UPDATE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    achievements = forms.CharField(
        label="Achievements", required=False, max_length=UPDATE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if not any((data.get(k) or "").strip() for k in ("progress", "roadblocks", "achievements")):
            raise forms.ValidationError("Write your progress, a roadblock or an achievement.")
        return data


class FeedbackForm(forms.Form):
    usefulness = forms.TypedChoiceField(
        label="How useful was this meeting?",
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        help_text="1: not useful · 5: very useful.",
    )
    comment = forms.CharField(
        label="What would make your next meeting more useful?",
        required=False,
        max_length=UPDATE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    good_fit = forms.ChoiceField(
        label="Is this a good fit?",
        required=False,
        choices=[("yes", "Yes"), ("not_sure", "Not sure"), ("no", "No")],
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        help_text="Only the program's admins hear a “no”, so they can help.",
    )

    def __init__(self, *args, ask_fit=False, **kwargs):
        super().__init__(*args, **kwargs)
        if ask_fit:
            self.fields["good_fit"].required = True
        else:
            del self.fields["good_fit"]


class StageForm(forms.Form):
    stage = forms.TypedChoiceField(coerce=int, choices=())

    def __init__(self, *args, **kwargs):
        from .models import Stage

        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = Stage.choices
