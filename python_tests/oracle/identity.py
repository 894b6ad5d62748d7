"""Rule D1 account attachment, as used by the oracle (message recipients -> account).

An account is one billing customer. A message recipient is attached as follows:
  e-mail recipient (contains '@'): normalised e-mail (trim, lower) equal to a billing
      customer's e-mail -> that customer, the newest (created_at, then id) when several
      share it; else a CRM contact with that e-mail which is attached to a customer;
  phone recipient: normalised phone (digits only, 10 digits get the prefix '1') equal to
      the phone of a CRM contact which is attached to a customer.
A CRM contact is attached to: its billing_customer_id (when that customer exists); else
the customer whose crm_contact_id is the contact (newest); else its normalised e-mail's
customer. When several attached contacts share an e-mail / phone, the contact with the
latest updated_at (then greatest contact_id) decides.
"""
from __future__ import annotations

import pandas as pd

from . import parse as P

_NEG = -(1 << 62)


class Identity:
    def __init__(self, customers: pd.DataFrame, contacts: pd.DataFrame):
        self.customer_ids = set(customers["id"]) if len(customers) else set()
        best_email: dict[str, tuple] = {}
        by_contact: dict[str, tuple] = {}
        for r in customers.itertuples(index=False):
            rank = (r.created_at if r.created_at is not None else _NEG, r.id)
            if r.email:
                if r.email not in best_email or rank > best_email[r.email][0]:
                    best_email[r.email] = (rank, r.id)
            if r.crm_contact_id:
                if r.crm_contact_id not in by_contact or rank > by_contact[r.crm_contact_id][0]:
                    by_contact[r.crm_contact_id] = (rank, r.id)
        self.email_to_customer = {e: v[1] for e, v in best_email.items()}
        self.contact_id_to_customer = {c: v[1] for c, v in by_contact.items()}

        self.contact_customer: dict[str, str] = {}
        c_email: dict[str, tuple] = {}
        c_phone: dict[str, tuple] = {}
        for r in contacts.itertuples(index=False):
            cust = None
            if r.billing_customer_id and r.billing_customer_id in self.customer_ids:
                cust = r.billing_customer_id
            elif r.contact_id in self.contact_id_to_customer:
                cust = self.contact_id_to_customer[r.contact_id]
            elif r.email and r.email in self.email_to_customer:
                cust = self.email_to_customer[r.email]
            if cust is None:
                continue
            self.contact_customer[r.contact_id] = cust
            rank = (r.updated_at if r.updated_at is not None else _NEG, r.contact_id)
            if r.email:
                if r.email not in c_email or rank > c_email[r.email][0]:
                    c_email[r.email] = (rank, cust)
            ph = P.norm_phone(r.phone)
            if ph:
                if ph not in c_phone or rank > c_phone[ph][0]:
                    c_phone[ph] = (rank, cust)
        self.contact_email_to_customer = {k: v[1] for k, v in c_email.items()}
        self.phone_to_customer = {k: v[1] for k, v in c_phone.items()}

    def recipient_account(self, recipient) -> str | None:
        if recipient is None:
            return None
        s = str(recipient)
        if "@" in s:
            e = P.norm_email(s)
            return self.email_to_customer.get(e) or self.contact_email_to_customer.get(e)
        ph = P.norm_phone(s)
        if ph is None:
            return None
        return self.phone_to_customer.get(ph)
