"""A figure provider as another app would list it (tests the registry)."""


def linked_chain_figures(*, org_units, start, end):
    return [
        {
            "key": "chains_completed",
            "label": "Chuỗi liên thông đã hoàn thành",
            "value": org_units.count() * 0 + 7,
            "unit": "",
            "formula": "",
        },
        {
            "key": "chains_median_days",
            "label": "Thời gian trung vị",
            "value": 2.5,
            "unit": "days",
            "formula": "",
        },
    ]
