from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Fill in a display name at sign-up; allauth's default would leave it empty."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        if not user.display_name:
            user.display_name = form.cleaned_data.get("display_name") or (user.email or "").split("@")[0][:80]
        if commit:
            user.save()
        return user
