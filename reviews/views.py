from django.db.models import Count, Q
from django.views.generic import ListView

from reviews.models import BoardMember, Review


class BoardListView(ListView):
    """The Medical Advisory Board: who reviews, their credentials and how much they review."""

    template_name = "reviews/board.html"
    context_object_name = "members"
    paginate_by = 50

    def get_queryset(self):
        return (
            BoardMember.objects.active()
            .select_related("user")
            .annotate(
                review_count=Count("reviews", distinct=True),
                approval_count=Count(
                    "reviews", filter=Q(reviews__decision=Review.Decision.APPROVE), distinct=True
                ),
            )
            .order_by("user__last_name", "user__first_name", "pk")
        )
