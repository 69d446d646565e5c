"""The public subscribe form."""

from django import forms

from events.models import Story

from .models import Subscription


class SubscribeForm(forms.Form):
    email = forms.EmailField(label="Email address")
    stories = forms.ModelMultipleChoiceField(
        queryset=Story.objects.order_by("title"), required=False,
        widget=forms.CheckboxSelectMultiple, help_text="Choose none to follow every story.",
    )
    frequency = forms.ChoiceField(choices=Subscription.Frequency.choices,
                                  initial=Subscription.Frequency.DAILY, label="How often")
    include_minor = forms.BooleanField(required=False,
                                       label="Include minor edits (typos, formatting)")
