from django.conf import settings
from django_tasks import task_backends


def test_tests_run_background_tasks_in_process() -> None:
    assert settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")
    assert type(task_backends["default"]).__name__ == "ImmediateBackend"
