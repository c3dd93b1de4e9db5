// Work in progress on a feature branch (scripts/demo.mjs lays it over a repository of examples/).
import express from 'express';
import { OpenFeature } from '@openfeature/server-sdk';

export const refunds = express.Router();
const flags = OpenFeature.getClient();

// Shipped dark: the flag turns it off in an incident.
refunds.get('/refunds/:id', async (req, res) => {
  if (!(await flags.getBooleanValue('refund-status', false))) return res.sendStatus(404);
  res.json({ id: req.params.id, status: 'pending' });
});

// Not behind a flag: flag/unguarded-feature reports it, and Ctrl+. wraps it.
refunds.post('/refunds', async (req, res) => {
  res.status(201).json({ accepted: true, order: req.body.orderId });
});
